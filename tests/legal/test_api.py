"""The legal API: the review queue (approve, four eyes, reject needs a comment), settings, a case's lifecycle with
its limitation interruption, a settlement, assets and mandates; who may do what; refusals name the field."""

from __future__ import annotations

import json
from datetime import date

import pytest

from arms.dunning.models import DunningAction
from arms.legal.models import LegalCase
from arms.limitation.models import LimitationInterruption
from tests import factories
from tests.api.conftest import BASE, Api, assert_error
from tests.dunning.conftest import AFTER_THE_STORIES, make_contract, make_customer

pytestmark = [pytest.mark.django_db, AFTER_THE_STORIES]


def test_the_review_queue_over_the_api(policy, people, lawyer, django_capture_on_commit_callbacks):
    from arms.dunning.services import dunning_run

    buyer = make_customer(people)
    factories.invoice(buyer, net=1_000_000, tax=130_000, contract=make_contract(buyer))
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(as_of=date(2026, 5, 10), actor=lawyer, trigger="api")
    draft = DunningAction.objects.get(stage__code="lawyer_letter")
    legal, other, sales = Api(lawyer), Api(factories.user("legal-x", role="legal")), Api(people["sales"])

    listed = legal.get("/legal/letters").json()
    assert [x["id"] for x in listed["items"]] == [draft.pk] and listed["items"][0]["review_status"] == "awaiting"
    assert listed["items"][0]["open_minor"] == 1_130_000 and listed["items"][0]["open"] == "11,300.00"
    assert sales.get("/legal/letters").status_code == 403
    pdf = legal.get(f"/legal/letters/{draft.pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    assert_error(legal.post(f"/legal/letters/{draft.pk}/approve", {"note": ""}), 403, "four_eyes", None)
    assert_error(other.post(f"/legal/letters/{draft.pk}/reject", {"note": ""}), 422, "invalid", "note")
    assert_error(sales.post(f"/legal/letters/{draft.pk}/approve", {}), 403, "forbidden", None)
    draft.refresh_from_db()
    assert draft.review_status == "awaiting"

    with django_capture_on_commit_callbacks(execute=True):
        response = other.post(f"/legal/letters/{draft.pk}/approve", {"note": "同意"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["review_status"], body["issuer"]) == ("done", "approved", {"mode": "own_legal"})
    assert_error(other.post(f"/legal/letters/{draft.pk}/approve", {}), 409, "letter_not_awaiting_review", None)


def test_settings_cases_settlements_assets_and_mandates(company, lawyer, lawyer2, manager):
    customer = factories.customer()
    a = factories.invoice(customer, net=1_000_000, tax=130_000, issued=date(2026, 1, 10))
    legal, sales = Api(lawyer), Api(factories.user("sales-x", role="sales"))

    put = legal.client.put(f"{BASE}/legal/settings", json.dumps({"issuer_mode": "law_firm", "firm_name": "明理律所"}),
                           content_type="application/json", headers=legal._headers(None))
    assert_error(put, 422, "invalid", "lawyer_name")
    put = legal.client.put(f"{BASE}/legal/settings", json.dumps({
        "issuer_mode": "law_firm", "firm_name": "明理律所", "lawyer_name": "张明", "licence_number": "131012009"}),
        content_type="application/json", headers=legal._headers(None))
    assert put.status_code == 200 and legal.get("/legal/settings").json()["firm_name"] == "明理律所"

    assert_error(legal.post("/legal/cases", {"customer_id": customer.pk, "kind": "litigation", "forum": "法院",
                                             "invoice_ids": [a.pk], "claim_minor": 0}), 422, "invalid", "claim_minor")
    assert not LegalCase.objects.exists()
    response = legal.post("/legal/cases", {"customer_id": customer.pk, "kind": "litigation", "forum": "浦东法院",
                                           "invoice_ids": [a.pk]})
    assert response.status_code == 201, response.content
    case = response.json()
    assert (case["claim_minor"], case["claim"], case["status"], case["invoice_ids"]) == (
        1_130_000, "11,300.00", "preparing", [a.pk])
    assert sales.get(f"/legal/cases/{case['id']}").status_code == 403
    response = legal.post(f"/legal/cases/{case['id']}/file", {"filed_on": "2026-05-20", "case_number": "民初1号"})
    assert response.status_code == 200 and response.json()["status"] == "filed"
    assert LimitationInterruption.objects.get(invoice=a).source == f"legal.case:{case['id']}"
    assert_error(legal.post(f"/legal/cases/{case['id']}/status", {"status": "closed_won"}), 409,
                 "case_status_not_allowed", "status")
    assert legal.post(f"/legal/cases/{case['id']}/hearings", {"on": "2026-06-30", "note": "开庭"}).status_code == 201
    cost = legal.post(f"/legal/cases/{case['id']}/costs", {"kind": "court_fee", "on": "2026-05-20",
                                                           "amount_minor": 8_800})
    assert cost.status_code == 201 and cost.json()["amount"] == "88.00"
    detail = legal.get(f"/legal/cases/{case['id']}").json()
    assert (len(detail["hearings"]), detail["costs_minor"], detail["costs"]) == (1, 8_800, "88.00")
    assert legal.get("/legal/cases", {"status": "filed"}).json()["count"] == 1

    settlement = legal.post("/legal/settlements", {"invoice_id": a.pk, "case_id": case["id"],
                                                   "waived_penalty_minor": 10_000, "terms": "免违约金"})
    assert settlement.status_code == 201, settlement.content
    sid = settlement.json()["id"]
    assert_error(legal.post(f"/legal/settlements/{sid}/approve", {}), 403, "four_eyes", None)
    approved = Api(lawyer2).post(f"/legal/settlements/{sid}/approve", {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    asset = legal.post("/legal/assets", {"customer_id": customer.pk, "kind": "vehicle", "description": "沪A00001",
                                         "source": "走访", "fact_date": "2026-02-01",
                                         "estimated_value_minor": 15_000_000})
    assert asset.status_code == 201 and asset.json()["estimated_value"] == "150,000.00"
    assert_error(legal.post("/legal/assets", {"customer_id": customer.pk, "kind": "vehicle", "description": "x",
                                              "source": "走访", "fact_date": "2027-01-01"}), 422, "invalid",
                 "fact_date")
    stale = legal.get("/legal/assets/stale").json()
    assert [row["customer_id"] for row in stale] == [customer.pk]  # a case open, facts older than 90 days

    mandate = legal.post("/legal/agencies", {"customer_id": customer.pk, "agency_name": "华信", "fee_share_bp": 2000,
                                             "handed_over_on": "2026-05-25", "invoice_ids": [a.pk]})
    assert mandate.status_code == 201 and mandate.json()["fee_due_minor"] == 0
    ended = legal.post(f"/legal/agencies/{mandate.json()['id']}/end", {"ended_on": "2026-05-30"})
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert_error(legal.post(f"/legal/agencies/{mandate.json()['id']}/end", {"ended_on": "2026-05-30"}), 409,
                 "already_closed", None)
