"""/api/v1/credit through HTTP with bearer tokens: files, ratings, proposals, limit requests, permissions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from arms.audit.models import AuditEvent
from arms.credit.models import CreditProfile, LimitChangeRequest, Rating
from arms.credit.services import rating_run
from tests import factories
from tests.api.conftest import Api, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def cm():
    return Api(factories.user("cm", role="credit_manager"))


@pytest.fixture
def cm2():
    return Api(factories.user("cm2", role="credit_manager"))


@pytest.fixture
def fm():
    return Api(factories.user("fm", role="finance_manager"))


@pytest.fixture
def seller():
    return Api(factories.user("seller", role="sales"))


def test_credit_file_facts_financials_and_rating(customer, cm):
    response = cm.patch(f"/credit/profiles/{customer.pk}", {"bureau_rating": "AA", "lawsuits_count": 0,
                                                           "business_abnormal": False, "dishonest_debtor": False,
                                                           "legal_representative": "王强"})
    assert response.status_code == 200, response.content
    assert response.json()["bureau_rating"] == "AA" and response.json()["limit_minor"] is None
    response = cm.client.put(
        f"/api/v1/credit/profiles/{customer.pk}/financials",
        '{"fiscal_year": 2025, "total_assets_minor": 10000000000, "total_liabilities_minor": 5000000000, '
        '"revenue_minor": 30000000000, "net_profit_minor": 2400000000, "operating_cash_flow_minor": 1}',
        content_type="application/json", headers=cm._headers(None))
    assert response.status_code == 200, response.content
    assert cm.get(f"/credit/profiles/{customer.pk}/financials").json()[0]["fiscal_year"] == 2025

    response = cm.post(f"/credit/profiles/{customer.pk}/rate", {"as_of": "2026-03-31", "reason": "annual review"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recomputed_score"] == body["score"] and body["scorecard_version"] == 1
    assert {c["key"] for c in body["contributions"]} >= {"debt_ratio", "industry", "bureau_rating"}
    assert body["inputs"]["debt_ratio"] == "0.5000" and "current_ratio" in body["missing"]
    assert sum(c["centi"] for c in body["contributions"]) // 100 in (body["score"], body["score"] - 1)

    proposal_id = body["proposal_id"]
    pending = cm.get("/credit/proposals").json()
    assert [p["id"] for p in pending["items"]] == [proposal_id]
    response = cm.post(f"/credit/proposals/{proposal_id}/accept", {"payment_terms_days": 20})
    assert_error(response, 422, "invalid", "reason")
    response = cm.post(f"/credit/proposals/{proposal_id}/accept", {"payment_terms_days": 20, "reason": "试用期"})
    assert response.status_code == 200, response.content
    assert response.json()["profile"]["payment_terms_days"] == 20
    assert response.json()["profile"]["grade"] == body["grade"]
    assert cm.get("/credit/ratings", {"customer_id": customer.pk}).json()["count"] == 1


def test_limit_request_maker_checker_over_http(customer, cm, cm2, seller):
    customer.salesperson = seller.user
    customer.save()
    response = seller.post("/credit/limit-requests", {"customer_id": customer.pk,
                                                      "requested_limit_minor": 300_000_00,
                                                      "justification": "新项目"}, headers={"Idempotency-Key": "k1"})
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    again = seller.post("/credit/limit-requests", {"customer_id": customer.pk, "requested_limit_minor": 300_000_00,
                                                   "justification": "新项目"}, headers={"Idempotency-Key": "k1"})
    assert again.status_code == 201 and again.json()["id"] == request_id
    assert_error(seller.post(f"/credit/limit-requests/{request_id}/approve", {}), 403, "four_eyes", None)

    own = cm.post("/credit/limit-requests", {"customer_id": factories.customer().pk,
                                             "requested_limit_minor": 100_00, "justification": "x"})
    before = (AuditEvent.objects.count(), list(CreditProfile.objects.values_list("limit_minor", flat=True)))
    assert_error(cm.post(f"/credit/limit-requests/{own.json()['id']}/approve", {}), 403, "four_eyes", None)
    assert (AuditEvent.objects.count(), list(CreditProfile.objects.values_list("limit_minor", flat=True))) == before
    assert LimitChangeRequest.objects.get(pk=own.json()["id"]).credit_approved_by_id is None

    response = cm2.post(f"/credit/limit-requests/{request_id}/approve", {"note": "ok"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved" and response.json()["credit_approved_by"] == "cm2"
    assert seller.get(f"/credit/profiles/{customer.pk}").json()["limit_minor"] == 300_000_00


def test_sales_see_only_their_own_customers_and_cannot_rate(customer, seller):
    mine = factories.customer(salesperson=seller.user)
    assert_error(seller.get(f"/credit/profiles/{customer.pk}"), 404, "not_found", "customer_id")
    assert seller.get(f"/credit/profiles/{mine.pk}").status_code == 200
    assert_error(seller.post(f"/credit/profiles/{mine.pk}/rate", {}), 403, "forbidden", None)
    assert_error(seller.patch(f"/credit/profiles/{mine.pk}", {"lawsuits_count": 1}), 403, "forbidden", None)
    assert_error(seller.post("/credit/limit-requests", {"customer_id": customer.pk, "requested_limit_minor": 1,
                                                        "justification": "x"}), 404, "not_found", "customer_id")
    assert seller.get("/credit/profiles").json()["count"] == 0  # reading a file writes nothing
    rating_run(customer=mine, as_of=date(2026, 3, 31))
    rating_run(customer=customer, as_of=date(2026, 3, 31))
    assert [p["customer_id"] for p in seller.get("/credit/profiles").json()["items"]] == [mine.pk]


def test_auditor_reads_and_changes_nothing(customer):
    auditor = Api(factories.user("aud", role="auditor"))
    assert auditor.get(f"/credit/profiles/{customer.pk}").status_code == 200
    assert auditor.get("/credit/policies").status_code == 200
    assert_error(auditor.post(f"/credit/profiles/{customer.pk}/rate", {}), 403, "forbidden", None)
    assert_error(auditor.post("/credit/limit-requests", {"customer_id": customer.pk, "requested_limit_minor": 1,
                                                         "justification": "x"}), 403, "forbidden", None)
    assert not Rating.objects.exists()


def test_bad_input_names_the_field(customer, cm):
    assert_error(cm.post("/credit/limit-requests", {"customer_id": customer.pk, "requested_limit_minor": 1.5,
                                                    "justification": "x"}), 422, "invalid", "requested_limit_minor")
    assert_error(cm.patch(f"/credit/profiles/{customer.pk}", {"bureau_rating": "ZZZ"}), 422, "invalid",
                 "bureau_rating")
    assert_error(cm.patch(f"/credit/profiles/{customer.pk}", {"grade": "A"}), 422, "invalid", "grade")
    assert_error(cm.post(f"/credit/profiles/{customer.pk}/rate", {"as_of": "9999-01-01"}), 422, "invalid", "as_of")
    assert_error(cm.post("/credit/scorecards", {"name": "x", "definition": {"factors": []}}), 422, "invalid",
                 "definition")
    assert not LimitChangeRequest.objects.exists()


def test_policies_and_scorecard_versions(cm):
    policies = cm.get("/credit/policies").json()
    assert [p["grade"] for p in policies] == ["A", "B", "C", "D"] and policies[3]["prepayment_only"] is True
    response = cm.patch("/credit/policies/B", {"payment_terms_days": 40, "limit_rate": "2.5"})
    assert response.status_code == 200, response.content
    assert response.json()["payment_terms_days"] == 40
    assert Decimal(str(response.json()["limit_rate"])) == Decimal("2.5")
    assert AuditEvent.objects.filter(action="credit_policy_changed").count() == 1
    assert_error(cm.patch("/credit/policies/B", {"deposit_pct": "101"}), 422, "invalid", "deposit_pct")
    assert_error(cm.patch("/credit/policies/B", {"payment_terms_days": 45, "grade_label": "x"}), 422, "invalid",
                 "grade_label")
    assert cm.get("/credit/policies").json()[1]["payment_terms_days"] == 40
    assert AuditEvent.objects.filter(action="credit_policy_changed").count() == 1
    active = cm.get("/credit/scorecards/active").json()
    definition = {**active["definition"], "thresholds": {"A": 90, "B": 75, "C": 60}}
    response = cm.post("/credit/scorecards", {"name": "2027", "definition": definition, "note": "stricter"})
    assert response.status_code == 201, response.content
    assert [s["version"] for s in cm.get("/credit/scorecards").json()] == [2, 1]
    assert cm.get("/credit/scorecards/active").json()["version"] == 2


def test_trade_history_endpoint(customer, cm):
    factories.invoice(customer, issued=date(2026, 1, 10))
    body = cm.get(f"/credit/profiles/{customer.pk}/trade-history", {"as_of": "2026-03-01"}).json()
    assert (body["first_invoice_on"], body["max_days_late"], body["volume_12m_minor"]) == ("2026-01-10", 20, 113_000)


def test_review_queue(customer, cm, cm2):
    rating = rating_run(customer=customer, as_of=date(2026, 3, 31))
    other = factories.customer()
    request = cm2.post("/credit/limit-requests", {"customer_id": customer.pk, "requested_limit_minor": 100_00,
                                                  "justification": "x"}).json()
    body = cm.get("/credit/review-queue", {"as_of": "2026-04-01"}).json()
    assert [p["id"] for p in body["proposals"]] == [rating.proposal.pk]
    assert [r["id"] for r in body["limit_requests"]] == [request["id"]] and body["awaiting_me"] == [request["id"]]
    assert [d["customer_id"] for d in body["due"]] == [other.pk] and body["due_count"] == 1
    assert cm2.get("/credit/review-queue").json()["awaiting_me"] == []  # not their own


@pytest.mark.parametrize(("in_force", "accepted", "waits"), [
    (None, 2_000_000_00, True),  # raised above the threshold
    (5_000_000_00, 3_000_000_00, True),  # lowered, still above: the same rule as a limit request
    (5_000_000_00, 1_000_000_00, False),  # at the threshold: the credit manager decides alone, as before
])
def test_accepting_a_proposal_limit_above_the_threshold_makes_a_request_for_the_finance_manager(
        customer, cm, fm, in_force, accepted, waits):
    CreditProfile.objects.update_or_create(customer=customer, defaults={"limit_minor": in_force})
    proposal_id = rating_run(customer=customer, as_of=date(2026, 3, 31)).proposal.pk
    response = cm.post(f"/credit/proposals/{proposal_id}/accept", {"limit_minor": accepted, "reason": "复核"})
    assert response.status_code == 200, response.content
    body = response.json()
    profile = CreditProfile.objects.get(customer=customer)
    if not waits:
        assert body["limit_request"] is None and profile.limit_minor == accepted
        return
    assert profile.limit_minor == in_force and body["profile"]["limit_minor"] == in_force
    request_id = body["limit_request"]["id"]
    assert LimitChangeRequest.objects.get(pk=request_id).needs_finance_manager
    assert cm.post(f"/credit/limit-requests/{request_id}/approve", {}).status_code == 403  # the acceptor made it
    response = fm.post(f"/credit/limit-requests/{request_id}/approve", {})
    assert response.status_code == 200, response.content
    assert CreditProfile.objects.get(customer=customer).limit_minor == accepted
