"""Every service that changes state appends its audit event(s), in its own transaction, with the actor and
the state before and after; a refused call appends nothing."""

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from django.db import transaction

from arms.accounts.services import token_create, token_revoke
from arms.audit.models import AuditEvent
from arms.audit.services import audit_record, audit_verify
from arms.common.errors import ArmsError
from arms.ledger import services
from arms.ledger.services.allocations import AllocationRequest
from tests import factories

pytestmark = pytest.mark.django_db


def new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=since).order_by("seq"))


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_invoice_post_records_who_posted_what(clerk, customer):
    mark = last_seq()
    invoice = factories.invoice(customer, actor=clerk, vat_invoice_number="3100261130")
    [event] = new_events(mark)
    assert (event.action, event.actor, event.actor_name) == ("invoice_posted", clerk, "clerk")
    assert (event.subject_type, event.subject_id, event.subject_repr) == ("ledger.invoice", str(invoice.pk),
                                                                          "INV-000001")
    assert event.before is None
    assert event.after == {
        "number": "INV-000001", "customer": customer.pk, "contract": None, "issue_date": "2026-01-10",
        "due_date": "2026-02-09", "currency": "CNY", "net_minor": 100_000, "tax_minor": 13_000,
        "gross_minor": 113_000, "amount_open_minor": 113_000, "gross_base_minor": 113_000,
        "vat_invoice_number": "3100261130", "discount_bp": 0, "discount_until": None,
    }


def test_payment_record_records_the_receipt(clerk, customer):
    mark = last_seq()
    payment = factories.payment(customer, amount=50_000, actor=clerk, method="bank_acceptance", bill_number="BA-7",
                                bill_maturity_date=date(2026, 8, 1), bank_reference="FT2602010001")
    [event] = new_events(mark)
    assert (event.action, event.actor_name, event.subject_id, event.before) == (
        "payment_recorded", "clerk", str(payment.pk), None)
    assert event.after == {
        "number": "RCV-000001", "customer": customer.pk, "received_date": "2026-02-01", "currency": "CNY",
        "amount_minor": 50_000, "amount_unallocated_minor": 50_000, "method": "bank_acceptance", "status": "posted",
        "bill_number": "BA-7", "bill_maturity_date": "2026-08-01", "bank_reference": "FT2602010001",
    }


def test_payment_allocate_records_one_event_per_line_with_both_balances(clerk, customer):
    first = factories.invoice(customer, actor=clerk)
    second = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=50_000, actor=clerk)
    mark = last_seq()
    made = services.payment_allocate(actor=clerk, payment=payment, on=date(2026, 2, 1),
                                     lines=[AllocationRequest(first.pk, 30_000), AllocationRequest(second.pk, 5_000)])
    events = new_events(mark)
    assert [(e.action, e.subject_type, e.subject_id, e.actor_name) for e in events] == [
        ("payment_allocated", "ledger.allocation", str(made[0].pk), "clerk"),
        ("payment_allocated", "ledger.allocation", str(made[1].pk), "clerk"),
    ]
    assert [(e.before, e.after) for e in events] == [
        ({"invoice_open_minor": 113_000, "payment_unallocated_minor": 50_000},
         {"invoice": "INV-000001", "payment": "RCV-000001", "amount_minor": 30_000, "invoice_open_minor": 83_000,
          "payment_unallocated_minor": 20_000}),
        ({"invoice_open_minor": 113_000, "payment_unallocated_minor": 20_000},
         {"invoice": "INV-000002", "payment": "RCV-000001", "amount_minor": 5_000, "invoice_open_minor": 108_000,
          "payment_unallocated_minor": 15_000}),
    ]


def test_auto_allocation_records_an_event_per_invoice_settled(clerk, customer):
    factories.invoice(customer, actor=clerk)
    factories.invoice(customer, actor=clerk, issued=date(2026, 1, 11))
    mark = last_seq()
    services.payment_record(actor=clerk, customer=customer, received_date=date(2026, 2, 1), amount_minor=150_000,
                            auto_allocate=True)
    assert [e.action for e in new_events(mark)] == ["payment_recorded", "payment_allocated", "payment_allocated"]


def test_credit_note_records_the_invoice_before_and_after(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    mark = last_seq()
    note = services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 2, 5), net_minor=10_000,
                                     tax_minor=1_300, reason="质量折让")
    [event] = new_events(mark)
    assert (event.action, event.subject_type, event.subject_id) == ("credit_note_posted", "ledger.creditnote",
                                                                    str(note.pk))
    assert event.before["invoice"]["amount_open_minor"] == 113_000
    assert event.after["invoice"]["amount_open_minor"] == 101_700
    assert (event.after["gross_minor"], event.after["reason"]) == (11_300, "质量折让")


def test_reversals_record_what_they_undo(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=50_000, actor=clerk)
    [first, second] = services.payment_allocate(
        actor=clerk, payment=payment, on=date(2026, 2, 1),
        lines=[AllocationRequest(invoice.pk, 30_000), AllocationRequest(invoice.pk, 10_000)])
    mark = last_seq()
    services.allocation_reverse(reason="keyed twice", actor=clerk, allocation=first, on=date(2026, 2, 2))
    [undo] = new_events(mark)
    assert (undo.action, undo.before, undo.after) == (
        "allocation_reversed", {"allocation": first.pk, "amount_minor": 30_000},
        {"invoice_open_minor": 103_000, "payment_unallocated_minor": 40_000, "reason": "keyed twice"})

    mark = last_seq()
    services.payment_reverse(actor=clerk, payment=payment, reason="银行退票", on=date(2026, 2, 3))
    undo_second, reversed_payment = new_events(mark)
    assert (undo_second.action, undo_second.before) == ("allocation_reversed",
                                                        {"allocation": second.pk, "amount_minor": 10_000})
    assert reversed_payment.action == "payment_reversed"
    before, after = reversed_payment.before, reversed_payment.after
    assert (before["status"], before["amount_unallocated_minor"]) == ("posted", 40_000)
    assert (after["status"], after["amount_unallocated_minor"], after["reason"]) == ("reversed", 0, "银行退票")


def test_exchange_rate_set_records_the_old_and_new_rate(clerk):
    mark = last_seq()
    services.exchange_rate_set(actor=clerk, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1"))
    services.exchange_rate_set(actor=clerk, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.12"),
                               source="中国人民银行中间价")
    first, second = new_events(mark)
    assert (first.action, first.before, first.after) == ("exchange_rate_set", None, {"rate": "7.1", "source": ""})
    assert (second.before, second.after) == ({"rate": "7.10000000"}, {"rate": "7.12", "source": "中国人民银行中间价"})


def test_api_tokens_record_creation_and_revocation_without_the_secret(clerk):
    mark = last_seq()
    token, secret = token_create(username="clerk", name="erp", actor=clerk)
    token_revoke(token=token, actor=clerk)
    created, revoked = new_events(mark)
    assert (created.action, created.after, created.actor_name) == (
        "api_token_created", {"user": "clerk", "name": "erp"}, "clerk")
    assert (revoked.action, revoked.before) == ("api_token_revoked", {"prefix": secret[:12]})
    assert secret not in str(created.after) + str(revoked.before)


def test_a_change_without_a_user_is_recorded_as_the_system(customer):
    mark = last_seq()
    factories.invoice(customer, actor=None)
    [event] = new_events(mark)
    assert (event.actor, event.actor_name) == (None, "system")


def test_a_refused_call_records_nothing(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=200_000, actor=clerk)
    mark = last_seq()
    with pytest.raises(ArmsError):
        # the first line is fine and is written before the second is refused: both must disappear
        services.payment_allocate(actor=clerk, payment=payment, on=date(2026, 2, 1),
                                  lines=[AllocationRequest(invoice.pk, 100_000), AllocationRequest(invoice.pk, 20_000)])
    assert new_events(mark) == []
    assert audit_verify().ok


def test_events_are_numbered_without_gaps_and_chained(clerk, customer):
    factories.invoice(customer, actor=clerk)
    factories.payment(customer, actor=clerk)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(events))
    assert events[0].prev_hash == "0" * 64


def test_audit_record_refuses_to_run_outside_a_transaction(clerk, customer):
    connection = transaction.get_connection()
    in_test_transaction = connection.in_atomic_block
    connection.in_atomic_block = False  # as if called in autocommit mode, outside the change's transaction
    try:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            audit_record(actor=clerk, action="customer_touched", subject=customer)
    finally:
        connection.in_atomic_block = in_test_transaction


def test_someone_outside_the_company_is_recorded_by_name_and_address(customer):
    from django.db import transaction

    from arms.audit.services import ExternalActor, audit_record, audit_verify

    mark = last_seq()
    with transaction.atomic():
        audit_record(actor=ExternalActor(kind="portal", name="张三", address="203.0.113.9"), action="customer_updated",
                     subject=customer, after={"note": "x"})
    [event] = new_events(mark)
    assert (event.actor, event.actor_name) == (None, "portal:张三@203.0.113.9")
    assert audit_verify().ok
