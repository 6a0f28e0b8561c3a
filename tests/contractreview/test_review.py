"""Contract review: draft -> in review -> approved -> signed, a step returned for a missing clause, four eyes,
steps by amount, tiers and terms on the contract; through the API as the roles do it."""

from __future__ import annotations

from datetime import date

import pytest

from arms.audit.models import AuditEvent
from arms.contractreview.models import ContractReview, ReviewStep
from arms.contracts.models import Contract
from tests import factories
from tests.api.conftest import Api, assert_error

pytestmark = pytest.mark.django_db

DRAFT = {
    "number": "HT-R-1", "title": "数控机床采购", "signed_date": "2026-01-05", "amount_minor": 60_000_000,
    "payment_terms_days": 30, "late_interest_rate_daily": "0.0005", "dispute_venue": "上海仲裁委员会",
    "governing_law": "中华人民共和国法律",
    "late_interest_tiers": [{"from_day": 1, "daily_rate": "0.0003"}, {"from_day": 30, "daily_rate": "0.0006"}],
    "milestones": [{"name": "预付款", "share_bp": 3000}, {"name": "验收款", "share_bp": 7000, "due_days": 30}],
}
ALL = ["payment_terms", "late_interest", "acceptance", "dispute_venue", "governing_law"]


@pytest.fixture
def people(db):
    return {role: Api(factories.user(f"u-{role}", role=role)) for role in
            ("sales", "executive", "credit_manager", "legal", "finance_manager", "finance_clerk")}


def test_a_contract_is_returned_for_a_missing_clause_then_approved_and_signed(people, customer):
    customer.salesperson = people["sales"].user
    customer.save()
    sales = people["sales"]
    created = sales.post("/contracts", {"customer_id": customer.pk, **DRAFT})
    assert created.status_code == 201, created.content
    contract_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["late_interest_tiers"][1] == {"from_day": 30, "daily_rate": "0.0006000"} or \
        created.json()["late_interest_tiers"][1]["from_day"] == 30

    submitted = sales.post(f"/contracts/{contract_id}/submit")
    assert submitted.status_code == 201, submitted.content
    round1 = submitted.json()
    # CNY 600,000.00: sales management, credit and legal (from 500,000); not finance (from 1,000,000)
    assert [s["kind"] for s in round1["steps"]] == ["sales", "credit", "legal"]
    assert round1["clauses"]["acceptance"] is False and round1["credit_check"]["decision"] in ("allow", "warn")
    assert people["executive"].user.notifications.filter(kind="contractreview.step").exists()

    # the submitter never signs off; credit may not decide before sales management
    assert_error(sales.post(f"/contracts/{contract_id}/review/steps/sales", {"decision": "approved"}), 403,
                 "forbidden", None)
    assert_error(people["credit_manager"].post(f"/contracts/{contract_id}/review/steps/credit",
                                               {"decision": "approved", "confirmed": ALL}), 409, "step_not_next",
                 "kind")
    # approving with the acceptance clause missing is refused naming it; the step returns instead
    refused = people["executive"].post(f"/contracts/{contract_id}/review/steps/sales",
                                       {"decision": "approved", "confirmed": ALL})
    assert_error(refused, 422, "invalid", "confirmed")
    assert "验收" in refused.json()["error"]["message"] or "Acceptance" in refused.json()["error"]["message"]
    assert ReviewStep.objects.filter(decision="approved").count() == 0
    returned = people["executive"].post(f"/contracts/{contract_id}/review/steps/sales",
                                        {"decision": "returned", "comment": "缺少验收条款"})
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == "draft"

    amended = sales.post(f"/contracts/{contract_id}/amend", {"reason": "补充验收条款",
                                                               "acceptance_clause": "到货后7日内验收"})
    assert amended.status_code == 200, amended.content
    round2 = sales.post(f"/contracts/{contract_id}/submit").json()
    assert round2["round"] == 2 and round2["clauses"]["acceptance"] is True
    for role, kind in (("executive", "sales"), ("credit_manager", "credit"), ("legal", "legal")):
        answer = people[role].post(f"/contracts/{contract_id}/review/steps/{kind}",
                                   {"decision": "approved", "confirmed": ALL, "comment": "同意"})
        assert answer.status_code == 200, answer.content
    review = answer.json()
    assert review["status"] == "approved"
    assert [r["status"] for r in review["rounds"]] == ["approved", "returned"]
    assert review["rounds"][1]["steps"][0]["comment"] == "缺少验收条款"

    assert_error(sales.post(f"/contracts/{contract_id}/sign", {"signed_date": "2026-02-01"}), 403, "forbidden", None)
    signed = people["finance_clerk"].post(f"/contracts/{contract_id}/sign", {"signed_date": "2026-02-01"})
    assert signed.status_code == 200, signed.content
    contract = Contract.objects.get(pk=contract_id)
    assert (contract.status, contract.signed_date) == ("active", date(2026, 2, 1))
    assert AuditEvent.objects.filter(action="contract_signed").count() == 1
    assert AuditEvent.objects.filter(action="contract_review_decided").count() == 4


def test_only_an_approved_contract_is_signed_and_a_draft_is_not_amended_into_force(people, customer):
    clerk = people["finance_clerk"]
    contract_id = clerk.post("/contracts", {"customer_id": customer.pk, **DRAFT}).json()["id"]
    assert_error(clerk.post(f"/contracts/{contract_id}/sign", {"signed_date": "2026-02-01"}), 409,
                 "contract_status", "status")
    assert_error(clerk.post(f"/contracts/{contract_id}/amend", {"reason": "生效", "status": "active"}), 409,
                 "contract_status", "status")
    assert Contract.objects.get(pk=contract_id).status == "draft"
    # recording a contract already signed needs the sign permission
    assert_error(people["sales"].post("/contracts", {"customer_id": customer.pk, **DRAFT, "number": "HT-R-2",
                                                     "status": "active"}), 403, "forbidden", None)
    assert not Contract.objects.filter(number="HT-R-2").exists()


def test_steps_follow_the_amount_and_a_reject_is_final(people, customer):
    clerk = people["finance_clerk"]
    contract_id = clerk.post("/contracts", {"customer_id": customer.pk, **DRAFT, "amount_minor": 10_000_000,
                                            "acceptance_clause": "验收"}).json()["id"]
    round1 = clerk.post(f"/contracts/{contract_id}/submit").json()
    assert [s["kind"] for s in round1["steps"]] == ["sales", "credit"]
    assert_error(clerk.post(f"/contracts/{contract_id}/submit"), 409, "contract_status", "status")
    assert_error(people["executive"].post(f"/contracts/{contract_id}/review/steps/sales", {"decision": "rejected"}),
                 422, "invalid", "comment")
    rejected = people["executive"].post(f"/contracts/{contract_id}/review/steps/sales",
                                        {"decision": "rejected", "comment": "客户资信不足"})
    assert rejected.json()["status"] == "rejected"
    assert ContractReview.objects.get().status == "rejected"
    assert_error(clerk.post(f"/contracts/{contract_id}/submit"), 409, "contract_status", "status")


def test_the_submitter_never_signs_off_even_holding_the_role(people, customer):
    both = Api(factories.user("fm-both", role="finance_manager"))
    body = {"customer_id": customer.pk, **DRAFT, "amount_minor": 200_000_000, "acceptance_clause": "验收",
            "guarantee_type": "bank_guarantee"}
    contract_id = both.post("/contracts", body).json()["id"]
    round1 = both.post(f"/contracts/{contract_id}/submit").json()
    assert [s["kind"] for s in round1["steps"]] == ["sales", "credit", "legal", "finance"]
    assert "guarantee" in round1["required_clauses"]
    for role, kind in (("executive", "sales"), ("credit_manager", "credit"), ("legal", "legal")):
        people[role].post(f"/contracts/{contract_id}/review/steps/{kind}",
                          {"decision": "approved", "confirmed": [*ALL, "guarantee"]})
    assert_error(both.post(f"/contracts/{contract_id}/review/steps/finance",
                           {"decision": "approved", "confirmed": [*ALL, "guarantee"]}), 403, "four_eyes", None)
    done = people["finance_manager"].post(f"/contracts/{contract_id}/review/steps/finance",
                                          {"decision": "approved", "confirmed": [*ALL, "guarantee"]})
    assert done.json()["status"] == "approved"


def test_settings_change_the_thresholds(people, customer):
    manager = people["finance_manager"]
    assert manager.get("/contracts/review/settings").json()["legal_from_minor"] == 500_000_00
    body = ('{"legal_from_minor": 100, "finance_from_minor": 100, "guarantee_from_minor": 999999999999, '
            '"reminder_days": 45}')
    assert_error(people["sales"].client.put("/api/v1/contracts/review/settings", body,
                                            content_type="application/json",
                                            headers=people["sales"]._headers(None)), 403, "forbidden", None)
    changed = manager.client.put("/api/v1/contracts/review/settings", body, content_type="application/json",
                                 headers=manager._headers(None))
    assert changed.status_code == 200, changed.content
    contract_id = people["finance_clerk"].post("/contracts", {"customer_id": customer.pk, **DRAFT}).json()["id"]
    round1 = people["finance_clerk"].post(f"/contracts/{contract_id}/submit").json()
    assert [s["kind"] for s in round1["steps"]] == ["sales", "credit", "legal", "finance"]
