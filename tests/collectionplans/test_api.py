"""The API: draft from a contract, edit, submit, approve as a second person, variance; refusals name the field."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from arms.collectionplans.models import CollectionPlan, CollectionPlanLine

BASE = "/api/v1/collection-plans"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_whole_way_through_the_api(people, contract, today):
    sales, fm = _client(people["sales"]), _client(people["fm"])
    made = sales.post(BASE, {"customer_id": contract.customer_id, "contract_id": contract.pk,
                             "draft_from": "contract"}, content_type="application/json")
    assert made.status_code == 201, made.content
    plan = made.json()
    assert [line["kind"] for line in plan["lines"]] == ["milestone", "milestone", "milestone"]
    assert plan["total_minor"] == 10_000_000

    bad = sales.put(f"{BASE}/{plan['id']}/lines", {"lines": [
        {"expected_date": today.isoformat(), "amount_minor": 100, "description": "a"},
        {"expected_date": today.isoformat(), "amount_minor": 100, "description": "b", "currency": "USD"}]},
        content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "lines[1].currency"
    assert CollectionPlanLine.objects.filter(plan_id=plan["id"]).count() == 3

    changed = sales.put(f"{BASE}/{plan['id']}/lines", {"lines": [
        {"expected_date": (today + timedelta(days=5)).isoformat(), "amount_minor": 3_000_000, "description": "首付"}]},
        content_type="application/json")
    assert changed.status_code == 200
    assert sales.post(f"{BASE}/{plan['id']}/submit").status_code == 200
    assert sales.post(f"{BASE}/{plan['id']}/approve", {}, content_type="application/json").status_code == 403
    approved = fm.post(f"{BASE}/{plan['id']}/approve", {"comment": "同意"}, content_type="application/json")
    assert approved.json()["status"] == "approved"
    edit = sales.put(f"{BASE}/{plan['id']}/lines", {"lines": []}, content_type="application/json")
    assert (edit.status_code, edit.json()["error"]["code"]) == (409, "collection_plan_not_draft")

    listed = fm.get(BASE, {"status": "approved"}).json()
    assert [p["id"] for p in listed["items"]] == [plan["id"]]
    variance = fm.get(f"{BASE}/variance", {"month": f"{today + timedelta(days=5):%Y-%m}"}).json()
    assert variance["items"][0]["planned_minor"] == 3_000_000


def test_approving_your_own_plan_is_four_eyes(people, buyer, today):
    fm = _client(people["fm"])
    plan = fm.post(BASE, {"customer_id": buyer.pk, "lines": [
        {"expected_date": today.isoformat(), "amount_minor": 500, "description": "x"}]},
        content_type="application/json").json()
    fm.post(f"{BASE}/{plan['id']}/submit")
    refused = fm.post(f"{BASE}/{plan['id']}/approve", {}, content_type="application/json")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "four_eyes")
    assert CollectionPlan.objects.get(pk=plan["id"]).status == "submitted"


def test_sales_see_only_their_own_customers_plans(people, buyer, today):
    _client(people["sales"]).post(BASE, {"customer_id": buyer.pk, "lines": [
        {"expected_date": today.isoformat(), "amount_minor": 500, "description": "x"}]},
        content_type="application/json")
    assert _client(people["sales2"]).get(BASE).json()["count"] == 0
    assert _client(people["clerk"]).get(BASE).json()["count"] == 1
    assert _client(people["clerk"]).post(BASE, {"customer_id": buyer.pk}, content_type="application/json"
                                         ).status_code == 403
