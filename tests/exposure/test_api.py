"""/api/v1/credit: the ERP's credit check, exposure, holds and overrides through HTTP with a real bearer token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from arms.exposure.models import CreditHold, CreditOverride, OverrideStatus
from arms.ledger.services import invoice_post
from tests import factories
from tests.api.conftest import Api, assert_error
from tests.exposure.conftest import rate

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def post(customer, gross: int, actor=None, **kw):
    return invoice_post(actor=actor, customer=customer, issue_date=TODAY, net_minor=gross, tax_minor=0, **kw)


@pytest.fixture
def clerk_api(clerk):
    return Api(clerk)


@pytest.fixture
def cm_api(credit_manager):
    return Api(credit_manager)


@pytest.fixture
def api_for(db):
    def make(role: str | None = None) -> Api:
        return Api(factories.user(role=role))

    return make


def test_erp_asks_before_confirming_an_order_and_gets_decision_reasons_and_figures(customer, clerk_api):
    rate(customer, limit=500_000_00)
    post(customer, 480_000_00)

    ok = clerk_api.post("/credit/check", {"customer_id": customer.pk, "amount_minor": 10_000_00,
                                          "reference": "SO-2026-001"})
    over = clerk_api.post("/credit/check", {"customer_id": customer.pk, "amount_minor": 30_000_00,
                                            "currency": "CNY", "reference": "SO-2026-002"})

    assert ok.status_code == 200, ok.content
    assert ok.json()["decision"] == "warn" and [r["code"] for r in ok.json()["reasons"]] == ["near_limit"]
    body = over.json()
    assert over.status_code == 200
    assert {k: body[k] for k in ("decision", "exposure_minor", "limit_minor", "available_minor", "currency",
                                 "exposure", "limit", "available", "controlled", "grade")} == {
        "decision": "block", "exposure_minor": 480_000_00, "limit_minor": 500_000_00, "available_minor": 20_000_00,
        "currency": "CNY", "exposure": "480,000.00", "limit": "500,000.00", "available": "20,000.00",
        "controlled": True, "grade": "B"}
    assert body["reasons"][0]["code"] == "limit_exceeded" and body["reasons"][0]["message"]
    assert CreditOverride.objects.count() == 0


def test_the_check_refuses_bad_input_naming_the_field(customer, clerk_api, api_for):
    assert_error(clerk_api.post("/credit/check", {"customer_id": customer.pk, "amount_minor": 1.5}),
                 422, "invalid", "amount_minor")
    assert_error(clerk_api.post("/credit/check", {"customer_id": customer.pk, "amount_minor": -1}),
                 422, "invalid", "amount_minor")
    assert_error(clerk_api.post("/credit/check", {"customer_id": customer.pk, "amount_minor": 1, "currency": "XX"}),
                 422, "invalid", "currency")
    assert_error(clerk_api.post("/credit/check", {"customer_id": 999_999, "amount_minor": 1}),
                 404, "not_found", "customer_id")
    assert_error(clerk_api.post("/credit/check", {"customer_id": customer.pk, "amount_minor": 1, "amout": 2}),
                 422, "invalid", "amout")
    other_sales = api_for("sales")
    assert_error(other_sales.post("/credit/check", {"customer_id": customer.pk, "amount_minor": 1}),
                 404, "not_found", "customer_id")


def test_a_blocked_invoice_post_is_409_credit_blocked_with_the_reasons(customer, clerk_api):
    rate(customer, limit=1_000_00)
    response = clerk_api.post("/invoices", {"customer_id": customer.pk, "issue_date": str(TODAY),
                                            "net_minor": 1_000_01, "tax_minor": 0})
    error = assert_error(response, 409, "credit_blocked", None)
    assert [r["code"] for r in error["details"]["reasons"]] == ["limit_exceeded"]
    assert error["details"]["available_minor"] == 1_000_00


def test_exposure_endpoint(customer, clerk_api):
    rate(customer, limit=400_000_00)
    post(customer, 100_000_00)
    response = clerk_api.get(f"/credit/exposure/{customer.pk}")
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("exposure_minor", "open_receivables_minor", "limit_minor",
                                            "available_minor", "used_bp", "active_holds", "grade")} == {
        "exposure_minor": 100_000_00, "open_receivables_minor": 100_000_00, "limit_minor": 400_000_00,
        "available_minor": 300_000_00, "used_bp": 2500, "active_holds": 0, "grade": "B"}


def test_holds_place_list_release(customer, cm_api, clerk_api):
    placed = cm_api.post("/credit/holds", {"customer_id": customer.pk, "note": "法务诉讼中"})
    again = cm_api.post("/credit/holds", {"customer_id": customer.pk, "note": "法务诉讼中"})
    assert (placed.status_code, again.status_code) == (201, 200)
    hold_id = placed.json()["id"]
    assert again.json()["id"] == hold_id
    assert placed.json()["reason_code"] == "manual" and placed.json()["placed_by"] == "credit_mgr"

    listed = clerk_api.get("/credit/holds", {"customer_id": customer.pk, "active": "true"})
    assert [h["id"] for h in listed.json()["items"]] == [hold_id]
    assert clerk_api.post("/credit/check", {"customer_id": customer.pk, "amount_minor": 1}).json()["decision"] == (
        "block")

    assert_error(clerk_api.post(f"/credit/holds/{hold_id}/release", {"note": "x"}), 403, "forbidden", None)
    assert_error(cm_api.post(f"/credit/holds/{hold_id}/release", {}), 422, "invalid", "note")
    released = cm_api.post(f"/credit/holds/{hold_id}/release", {"note": "和解"})
    assert released.status_code == 200 and released.json()["active"] is False
    assert released.json()["release_note"] == "和解"
    assert_error(cm_api.post(f"/credit/holds/{hold_id}/release", {"note": "和解"}), 409, "hold_not_active", None)
    assert clerk_api.get("/credit/holds", {"active": "false"}).json()["count"] == 1
    assert_error(cm_api.get("/credit/holds/999999"), 404, "not_found", "hold_id")


def test_a_clerk_cannot_place_a_hold_and_an_auditor_only_reads(customer, clerk_api, api_for):
    assert_error(clerk_api.post("/credit/holds", {"customer_id": customer.pk, "note": "x"}), 403, "forbidden", None)
    auditor = api_for("auditor")
    assert auditor.get("/credit/holds").status_code == 200
    assert auditor.get("/credit/overrides").status_code == 200
    assert_error(auditor.post("/credit/overrides", {"customer_id": customer.pk, "amount_minor": 1, "reason": "r"}),
                 403, "forbidden", None)
    assert CreditHold.objects.count() == 0


def test_override_request_refused_self_approval_then_approved_and_used_by_the_erp(
        customer, clerk_api, cm_api, credit_manager, second_credit_manager):
    rate(customer, limit=0)
    own = cm_api.post("/credit/overrides", {"customer_id": customer.pk, "amount_minor": 8_000_00,
                                            "reason": "我要的", "document_kind": "order"}).json()
    assert_error(cm_api.post(f"/credit/overrides/{own['id']}/approve", {}), 403, "four_eyes", None)
    assert CreditOverride.objects.get(pk=own["id"]).status == OverrideStatus.REQUESTED

    created = clerk_api.post("/credit/overrides", {"customer_id": customer.pk, "amount_minor": 8_000_00,
                                                   "reason": "年底冲量", "document_kind": "order",
                                                   "document_ref": "SO-9", "valid_days": 2})
    assert created.status_code == 201, created.content
    override_id = created.json()["id"]
    assert created.json()["status"] == "requested" and created.json()["amount"] == "8,000.00"
    assert_error(clerk_api.post(f"/credit/overrides/{override_id}/approve", {}), 403, "forbidden", None)

    approved = cm_api.post(f"/credit/overrides/{override_id}/approve", {"note": "一次性"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "credit_mgr"

    check = {"customer_id": customer.pk, "amount_minor": 8_000_00, "reference": "SO-9"}
    assert clerk_api.post("/credit/check", check).json()["decision"] == "block"
    confirmed = clerk_api.post("/credit/check", {**check, "confirm": True}).json()
    assert (confirmed["decision"], confirmed["override_id"]) == ("allow", override_id)
    assert clerk_api.get(f"/credit/overrides/{override_id}").json()["consumed_document_ref"] == "SO-9"
    assert clerk_api.post("/credit/check", {**check, "confirm": True}).json()["decision"] == "block"

    listed = clerk_api.get("/credit/overrides", {"status": "consumed"}).json()
    assert [o["id"] for o in listed["items"]] == [override_id]
    assert_error(Api(second_credit_manager).post(f"/credit/overrides/{override_id}/reject", {"note": "晚了"}),
                 409, "override_already_decided", None)


def test_an_expired_override_shows_as_expired_before_the_task_runs(customer, clerk_api, cm_api):
    created = clerk_api.post("/credit/overrides", {"customer_id": customer.pk, "amount_minor": 1_00,
                                                   "reason": "r"}).json()
    cm_api.post(f"/credit/overrides/{created['id']}/approve", {})
    CreditOverride.objects.filter(pk=created["id"]).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert clerk_api.get(f"/credit/overrides/{created['id']}").json()["status"] == "expired"
    assert clerk_api.get("/credit/overrides", {"status": "expired"}).json()["count"] == 1
    assert clerk_api.get("/credit/overrides", {"status": "approved"}).json()["count"] == 0


def test_sales_see_only_their_own_customers_holds_and_overrides(company, credit_manager):
    mine, theirs = factories.user(role="sales"), factories.user(role="sales")
    own_customer = factories.customer(salesperson=mine)
    other_customer = factories.customer(salesperson=theirs)
    from arms.exposure import services

    for c in (own_customer, other_customer):
        services.hold_place(customer=c, reason_code="manual", note="x", actor=credit_manager)
    api = Api(mine)
    assert [h["customer_id"] for h in api.get("/credit/holds").json()["items"]] == [own_customer.pk]
    other_hold = CreditHold.objects.get(customer=other_customer)
    assert_error(api.get(f"/credit/holds/{other_hold.pk}"), 404, "not_found", "hold_id")
    assert_error(api.get(f"/credit/exposure/{other_customer.pk}"), 404, "not_found", "customer_id")
