"""Manual cash application through the API under the one four-eyes rule (issue 12): above the company's amount an
allocation, a reversal, a credit note or an invoice answers 202 with a pending approval and moves nothing; the
requester cannot decide it (403 ``four_eyes``); another person approves (the money moves) or rejects (it does not).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.audit.models import AuditEvent
from arms.ledger import services
from arms.ledger.models import Allocation, CreditNote, Invoice, LedgerApproval, LedgerSettings
from arms.ledger.services.allocations import AllocationRequest
from arms.ledger.services.approvals import ledger_four_eyes_minor
from tests import factories
from tests.api.conftest import Api, assert_error, counts
from tests.conftest import ledger_problems

THRESHOLD = 1_000_000  # CNY 10,000.00 for these tests; the default is CNY 1,000,000.00


@pytest.fixture
def company_threshold(company):
    LedgerSettings.objects.create(company=company, four_eyes_minor=THRESHOLD)
    return THRESHOLD


@pytest.fixture
def second(api_for):
    """Another finance manager: the second person."""
    return api_for("finance_manager", username="manager2")


@pytest.fixture
def big(customer, clerk, today):
    """An invoice of CNY 30,000.00 and a payment of CNY 30,000.00, nothing applied."""
    invoice = factories.invoice(customer, net=3_000_000, tax=0, issued=today - timedelta(days=40), actor=clerk,
                                number="INV-BIG")
    payment = factories.payment(customer, amount=3_000_000, received=today - timedelta(days=1), actor=clerk,
                                number="RCV-BIG")
    return invoice, payment


def _open(invoice) -> int:
    invoice.refresh_from_db()
    return invoice.amount_open_minor


def test_the_default_amount_is_one_million_yuan(company):
    assert ledger_four_eyes_minor(company) == 100_000_000


def test_an_allocation_above_the_amount_waits_for_a_second_person(manager_api, second, big, company_threshold):
    invoice, payment = big

    response = manager_api.post(f"/payments/{payment.pk}/allocations",
                                {"lines": [{"invoice_id": invoice.pk, "amount_minor": 3_000_000}]})

    assert response.status_code == 202, response.content
    body = response.json()
    approval = LedgerApproval.objects.get()
    assert (body["id"], body["kind"], body["status"], body["amount_minor"], body["amount"], body["currency"],
            body["amount_base_minor"], body["threshold_minor"], body["payment_id"], body["requested_by"]) == (
        approval.pk, "allocation", "pending", 3_000_000, "30,000.00", "CNY", 3_000_000, THRESHOLD, payment.pk,
        "manager")
    assert (_open(invoice), Allocation.objects.count()) == (3_000_000, 0)
    assert AuditEvent.objects.filter(action="ledger_approval_requested").count() == 1

    before = counts()
    assert_error(manager_api.post(f"/ledger-approvals/{approval.pk}/approve", {"note": "自己批"}),
                 403, "four_eyes", None)
    assert_error(manager_api.post(f"/ledger-approvals/{approval.pk}/reject", {"note": "自己拒"}),
                 403, "four_eyes", None)
    assert counts() == before
    assert LedgerApproval.objects.get().status == "pending"

    response = second.post(f"/ledger-approvals/{approval.pk}/approve", {"note": "核对回单无误"})

    assert response.status_code == 200, response.content
    body = response.json()
    made = Allocation.objects.get()
    assert (body["status"], body["decided_by"], body["decision_note"], body["result"]) == (
        "approved", "manager2", "核对回单无误", {"allocation_ids": [made.pk]})
    assert (_open(invoice), made.amount_minor, made.created_by.username) == (0, 3_000_000, "manager2")
    payment.refresh_from_db()
    assert payment.amount_unallocated_minor == 0
    assert ledger_problems() == {}
    assert_error(second.post(f"/ledger-approvals/{approval.pk}/approve", {}), 409, "approval_not_pending",
                 "approval")


def test_below_the_amount_it_is_done_at_once(clerk_api, big, company_threshold):
    invoice, payment = big

    response = clerk_api.post(f"/payments/{payment.pk}/allocations",
                              {"lines": [{"invoice_id": invoice.pk, "amount_minor": THRESHOLD}]})

    assert response.status_code == 201, response.content
    assert (_open(invoice), LedgerApproval.objects.count()) == (2_000_000, 0)


def test_a_request_the_ledger_would_refuse_is_refused_now_and_nothing_is_written(clerk_api, big, company_threshold):
    invoice, payment = big
    before = counts()

    response = clerk_api.post(f"/payments/{payment.pk}/allocations",
                              {"lines": [{"invoice_id": invoice.pk, "amount_minor": 3_000_001}]})

    assert_error(response, 409, "over_allocation", "lines[0].amount_minor")
    assert (counts(), LedgerApproval.objects.count()) == (before, 0)


def test_a_rejected_allocation_moves_nothing(clerk_api, manager_api, big, company_threshold):
    invoice, payment = big
    approval_id = clerk_api.post(f"/payments/{payment.pk}/allocations",
                                 {"lines": [{"invoice_id": invoice.pk, "amount_minor": 2_000_000}]}).json()["id"]

    assert_error(manager_api.post(f"/ledger-approvals/{approval_id}/reject", {"note": " "}), 422, "invalid", "note")
    response = manager_api.post(f"/ledger-approvals/{approval_id}/reject", {"note": "回单金额不符"})

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decision_note"]) == ("rejected", "回单金额不符")
    assert (_open(invoice), Allocation.objects.count()) == (3_000_000, 0)
    listed = clerk_api.get("/ledger-approvals", {"status": "rejected"}).json()
    assert (listed["count"], [a["id"] for a in listed["items"]]) == (1, [approval_id])
    assert clerk_api.get("/ledger-approvals", {"status": "pending"}).json()["count"] == 0


def test_undoing_an_allocation_above_the_amount_keeps_its_reason(clerk_api, manager_api, big, company_threshold,
                                                                 clerk):
    invoice, payment = big
    [allocation] = services.payment_allocate(actor=clerk, payment=payment,
                                             lines=[AllocationRequest(invoice.pk, 3_000_000)])

    assert_error(clerk_api.post(f"/allocations/{allocation.pk}/reverse", {"reason": ""}), 422, "invalid", "reason")
    response = clerk_api.post(f"/allocations/{allocation.pk}/reverse", {"reason": "客户来函: 付的是下一张发票"})
    assert response.status_code == 202, response.content
    assert (response.json()["kind"], response.json()["reason"]) == ("allocation_reversal", "客户来函: 付的是下一张发票")
    assert _open(invoice) == 0

    approved = manager_api.post(f"/ledger-approvals/{response.json()['id']}/approve", {})

    assert approved.status_code == 200, approved.content
    reversal = Allocation.objects.get(reverses=allocation)
    assert (reversal.reason, _open(invoice)) == ("客户来函: 付的是下一张发票", 3_000_000)
    event = AuditEvent.objects.filter(action="allocation_reversed").get()
    assert event.after["reason"] == "客户来函: 付的是下一张发票"
    assert ledger_problems() == {}


def test_a_credit_note_and_an_invoice_above_the_amount_wait_then_post(clerk_api, manager_api, customer, big,
                                                                        company_threshold, today):
    invoice, _payment = big

    note = clerk_api.post(f"/invoices/{invoice.pk}/credit-notes", {
        "date": today.isoformat(), "net_minor": 2_000_000, "tax_minor": 0, "reason": "质量折让 (红字)"})
    posted = clerk_api.post("/invoices", {
        "customer_id": customer.pk, "issue_date": today.isoformat(), "net_minor": 5_000_000, "tax_minor": 650_000,
        "number": "INV-4E-1"})

    assert (note.status_code, posted.status_code) == (202, 202), (note.content, posted.content)
    assert (note.json()["kind"], posted.json()["kind"], posted.json()["amount_minor"]) == (
        "credit_note", "invoice", 5_650_000)
    assert (CreditNote.objects.count(), Invoice.objects.filter(number="INV-4E-1").count()) == (0, 0)

    for approval in (note.json(), posted.json()):
        response = manager_api.post(f"/ledger-approvals/{approval['id']}/approve", {"note": "同意"})
        assert response.status_code == 200, response.content

    credit = CreditNote.objects.get()
    new = Invoice.objects.get(number="INV-4E-1")
    assert (credit.gross_minor, credit.reason, _open(invoice)) == (2_000_000, "质量折让 (红字)", 1_000_000)
    assert (new.gross_minor, new.posted_by.username) == (5_650_000, "manager")
    assert LedgerApproval.objects.get(kind="invoice").result == {"id": new.pk, "number": "INV-4E-1"}
    assert ledger_problems() == {}


def test_only_a_finance_manager_changes_the_amount(clerk_api, manager_api, company):
    assert_error(clerk_api.client.put("/api/v1/ledger-settings", '{"four_eyes_minor": 5}',
                                      content_type="application/json", headers=clerk_api._headers(None)),
                 403, "forbidden", None)
    assert clerk_api.get("/ledger-settings").json() == {"four_eyes_minor": 100_000_000, "four_eyes": "1,000,000.00",
                                                        "currency": "CNY"}

    response = manager_api.client.put("/api/v1/ledger-settings", '{"four_eyes_minor": 50000000}',
                                      content_type="application/json", headers=manager_api._headers(None))

    assert response.status_code == 200, response.content
    assert response.json() == {"four_eyes_minor": 50_000_000, "four_eyes": "500,000.00", "currency": "CNY"}
    assert ledger_four_eyes_minor(company) == 50_000_000
    event = AuditEvent.objects.get(action="ledger_settings_changed")
    assert (event.before, event.after) == ({"four_eyes_minor": 100_000_000}, {"four_eyes_minor": 50_000_000})


def test_a_retry_with_the_same_key_asks_once(clerk_api, big, company_threshold):
    invoice, payment = big
    body = {"lines": [{"invoice_id": invoice.pk, "amount_minor": 2_000_000}]}

    first = clerk_api.post(f"/payments/{payment.pk}/allocations", body, headers={"Idempotency-Key": "k-4e"})
    again = clerk_api.post(f"/payments/{payment.pk}/allocations", body, headers={"Idempotency-Key": "k-4e"})

    assert (first.status_code, again.status_code, first.json()["id"]) == (202, 202, again.json()["id"])
    assert LedgerApproval.objects.count() == 1


def test_another_salespersons_approval_is_not_found(api_for, big, company_threshold, clerk):
    invoice, payment = big
    Api(clerk).post(f"/payments/{payment.pk}/allocations",
                    {"lines": [{"invoice_id": invoice.pk, "amount_minor": 2_000_000}]})
    approval = LedgerApproval.objects.get()
    auditor = api_for("auditor", username="auditor2")

    assert auditor.get(f"/ledger-approvals/{approval.pk}").status_code == 200
    assert_error(auditor.post(f"/ledger-approvals/{approval.pk}/approve", {}), 403, "cannot_approve", "approval")
    assert_error(api_for("sales", username="s1").get(f"/ledger-approvals/{approval.pk}"), 403, "forbidden", None)
