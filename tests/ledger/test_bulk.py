"""The bulk path (arms.ledger.services.bulk) against the single services it must agree with.

The property test draws invoices and payments with allocations for a few customers and writes them twice, each in a
savepoint that is rolled back: once through ``invoice_post`` / ``payment_record`` / ``payment_allocate`` one at a time,
once through ``invoices_post_bulk`` / ``payments_record_bulk``. The books must be the same: a digest over invoices,
payments, allocations, journal entries and lines, customer balances and the audit content, without ids or clocks.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arms.audit.models import AuditBatch, AuditBatchEvent, AuditEvent
from arms.audit.services import audit_batches_verify, audit_verify, seals_verify
from arms.common.errors import ArmsError
from arms.customers.models import Customer
from arms.ledger import services
from arms.ledger.models import Allocation, Invoice, JournalLine, Payment
from arms.ledger.services.allocations import AllocationRequest
from arms.ledger.services.bulk import (
    BulkAllocation,
    InvoiceInput,
    PaymentInput,
    invoices_post_bulk,
    payments_record_bulk,
)
from tests import factories
from tests.conftest import ledger_problems

CUSTOMERS = 3


def book_digest() -> str:
    """SHA-256 over the business content of the books (numbers, dates, amounts, accounts; no ids, no clocks)."""
    digest = hashlib.sha256()

    def feed(label: str, rows) -> None:
        for row in rows:
            digest.update(json.dumps([label, *row], default=str, ensure_ascii=False).encode())

    feed("invoice", Invoice.objects.order_by("number").values_list(
        "number", "customer__code", "issue_date", "due_date", "currency", "net_minor", "tax_minor", "gross_minor",
        "amount_open_minor", "fx_rate", "gross_base_minor", "net_base_minor", "discount_bp", "discount_until"))
    feed("payment", Payment.objects.order_by("number").values_list(
        "number", "customer__code", "received_date", "currency", "amount_minor", "amount_unallocated_minor",
        "method", "amount_base_minor"))
    feed("allocation", Allocation.objects.order_by(
        "invoice__number", F("payment__number").asc(nulls_first=True), "amount_minor", "date",
    ).values_list("invoice__number", "payment__number", "date", "amount_minor", "receivable_base_minor",
                  "cash_base_minor"))
    feed("line", sorted(JournalLine.objects.values_list(
        "entry__kind", "entry__date", "entry__memo", "entry__invoice__number", "entry__payment__number",
        "account__code", "customer__code", "debit_minor", "credit_minor")))
    # not the subject's repr: an allocation's names its invoice's primary key, and PostgreSQL does not give back
    # the ids a rolled-back example used (SQLite does), so the two paths' invoices have different ids there; the
    # event's ``after`` names the invoice and payment by number
    events = [*AuditEvent.objects.filter(action__in=["invoice_posted", "payment_recorded", "payment_allocated"])
              .values_list("action", "before", "after", "actor_name"),
              *AuditBatchEvent.objects.values_list("action", "before", "after", "batch__actor_name")]
    feed("event", sorted(json.dumps(list(event), sort_keys=True, default=str) for event in events))
    return digest.hexdigest()


invoice_st = st.fixed_dictionaries({
    "customer": st.integers(0, CUSTOMERS - 1), "day": st.integers(0, 40),
    "net": st.integers(1, 5_000_000), "tax": st.integers(0, 700_000), "numbered": st.booleans(),
})
payment_st = st.fixed_dictionaries({
    "customer": st.integers(0, CUSTOMERS - 1), "day": st.integers(0, 60), "amount": st.integers(1, 6_000_000),
    # invoices (by position among the drawn ones) to pay: up to the open amount, or a fixed part of it
    "targets": st.lists(st.tuples(st.integers(0, 30), st.one_of(st.none(), st.integers(1, 300_000))), max_size=3),
})


def _write_single(customers, invoices, payments, start: date) -> list[Invoice]:
    posted = [services.invoice_post(
        actor=None, customer=customers[row["customer"]], issue_date=start + timedelta(days=row["day"]),
        net_minor=row["net"], tax_minor=row["tax"], number=None if row["numbered"] else f"X-{n}")
        for n, row in enumerate(invoices)]
    for row in payments:
        payment = services.payment_record(actor=None, customer=customers[row["customer"]],
                                          received_date=start + timedelta(days=row["day"]),
                                          amount_minor=row["amount"])
        lines = []
        for position, amount in row["targets"]:
            if not posted:
                break
            invoice = Invoice.objects.get(pk=posted[position % len(posted)].pk)
            if amount is None:
                amount = min(payment.amount_unallocated_minor - sum(x.amount_minor for x in lines),
                             invoice.amount_open_minor)
                if amount <= 0:
                    continue
            lines.append(AllocationRequest(invoice.pk, amount))
        if lines:
            services.payment_allocate(actor=None, payment=payment, lines=lines, on=payment.received_date)
    return posted


def _write_bulk(customers, invoices, payments, start: date) -> None:
    result = invoices_post_bulk(actor=None, invoices=[InvoiceInput(
        customer=customers[row["customer"]], issue_date=start + timedelta(days=row["day"]), net_minor=row["net"],
        tax_minor=row["tax"], number=None if row["numbered"] else f"X-{n}") for n, row in enumerate(invoices)])
    ids = result.created_ids
    payments_record_bulk(actor=None, payments=[PaymentInput(
        customer=customers[row["customer"]], received_date=start + timedelta(days=row["day"]),
        amount_minor=row["amount"],
        allocations=tuple(BulkAllocation(ids[position % len(ids)], amount) for position, amount in row["targets"])
        if ids else ()) for row in payments])


def _outcome(write) -> tuple[str, str]:
    """The digest of what ``write`` booked, or the refusal's code and field; rolled back either way."""
    point = transaction.savepoint()
    try:
        write()
        return "ok", book_digest()
    except ArmsError as exc:
        return exc.code, exc.field or ""
    finally:
        transaction.savepoint_rollback(point)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(invoices=st.lists(invoice_st, min_size=1, max_size=12), payments=st.lists(payment_st, max_size=8))
def test_the_bulk_path_books_what_the_single_services_book(company, invoices, payments):
    # hypothesis runs every example in the one test transaction: the customers are made once
    customers = [Customer.objects.filter(code=f"P{n}").first() or factories.customer(f"P{n}")
                 for n in range(CUSTOMERS)]
    start = date(2026, 1, 5)
    single = _outcome(lambda: _write_single(customers, invoices, payments, start))
    bulk = _outcome(lambda: _write_bulk(customers, invoices, payments, start))
    assert bulk == single


@pytest.fixture
def two(company):
    return factories.customer("B1"), factories.customer("B2")


def test_a_refused_row_is_named_and_nothing_of_the_call_is_written(two):
    before = (Invoice.objects.count(), AuditBatchEvent.objects.count(), AuditEvent.objects.count())
    rows = [InvoiceInput(customer=two[n % 2], issue_date=date(2026, 1, 5), net_minor=100, tax_minor=0)
            for n in range(6)]
    rows[4] = InvoiceInput(customer=two[0], issue_date=date(2026, 1, 5), net_minor=100, tax_minor=-1)
    with pytest.raises(ArmsError) as info:
        invoices_post_bulk(actor=None, invoices=rows)
    assert (info.value.field, info.value.details["index"]) == ("tax_minor", 4)
    assert (Invoice.objects.count(), AuditBatchEvent.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.unrated_policy("limit")
def test_the_credit_check_refuses_in_bulk_exactly_as_one_at_a_time(two):
    """Unrated customers are held to the default limit (CNY 50,000.00): the third invoice of 20,000.00 passes it."""
    rows = [InvoiceInput(customer=two[0], issue_date=date(2026, 1, 5), net_minor=2_000_000, tax_minor=0,
                         number=f"L-{n}") for n in range(3)]
    with pytest.raises(ArmsError) as bulk:
        invoices_post_bulk(actor=None, invoices=[InvoiceInput(customer=two[1], issue_date=date(2026, 1, 5),
                                                              net_minor=100, tax_minor=0), *rows])
    assert bulk.value.details["index"] == 3
    assert not Invoice.objects.exists()
    with transaction.atomic(), pytest.raises(ArmsError) as single:
        for row in rows:
            services.invoice_post(actor=None, customer=row.customer, issue_date=row.issue_date,
                                  net_minor=row.net_minor, tax_minor=row.tax_minor, number=row.number)
    assert (bulk.value.code, bulk.value.message, bulk.value.field) == (
        single.value.code, single.value.message, single.value.field)
    assert bulk.value.code == "credit_blocked"


def test_the_same_keys_again_create_nothing(two):
    rows = [InvoiceInput(customer=two[n % 2], issue_date=date(2026, 1, 5), net_minor=100 + n, tax_minor=0,
                         idempotency_key=f"k{n}") for n in range(4)]
    first = invoices_post_bulk(actor=None, invoices=rows)
    again = invoices_post_bulk(actor=None, invoices=rows)
    assert (len(first.created_ids), first.skipped) == (4, 0)
    assert (again.created_ids, again.skipped) == ([], 4)
    assert Invoice.objects.count() == 4
    changed = [InvoiceInput(customer=two[0], issue_date=date(2026, 1, 5), net_minor=1, tax_minor=0,
                            idempotency_key="k0")]
    with pytest.raises(ArmsError) as info:
        invoices_post_bulk(actor=None, invoices=changed)
    assert info.value.code == "idempotency_key_reused"


def test_the_chain_verifies_after_a_bulk_write_and_finds_an_altered_sub_chain_event(two):
    invoices = invoices_post_bulk(actor=None, invoices=[
        InvoiceInput(customer=two[n % 2], issue_date=date(2026, 1, 5), net_minor=1_000, tax_minor=130)
        for n in range(5)])
    payments_record_bulk(actor=None, payments=[PaymentInput(
        customer=two[0], received_date=date(2026, 1, 9), amount_minor=5_000,
        allocations=(BulkAllocation(invoices.created_ids[0]), BulkAllocation(invoices.created_ids[2])))])
    assert AuditBatch.objects.count() == 2
    assert AuditEvent.objects.filter(action="audit_batch_anchored").count() == 2
    assert audit_verify().ok
    assert all(report.ok for report in seals_verify()), seals_verify()
    assert ledger_problems() == {}

    event = AuditBatchEvent.objects.filter(action="payment_allocated").order_by("position").first()
    AuditBatchEvent.objects.filter(pk=event.pk).update(after={**event.after, "amount_minor": 1})
    report = audit_batches_verify()
    assert not report.ok
    assert report.problems == (f"audit batch {event.batch_id}: content of event {event.position} was altered",)
    assert audit_verify().ok  # the global chain itself is intact: the anchor's seal is what finds it


def test_a_discount_earned_mid_call_books_what_the_single_services_book(two):
    """The first payment earns an early-payment discount: the allocator writes what it has (the payments so far,
    with what their allocations left unallocated) before the discount service reads the rows; the payments after it
    are written later. The books are the single services' books, and the sub-chain verifies."""
    day = date(2026, 1, 5)
    terms = [dict(customer=two[0], issue_date=day, net_minor=100_000, tax_minor=0, number="D-1", discount_bp=200,
                  discount_until=day + timedelta(days=10)),
             dict(customer=two[1], issue_date=day, net_minor=50_000, tax_minor=0, number="D-2")]
    paid = [(two[0], 98_000), (two[1], 30_000), (two[0], 5_000)]  # 98% of D-1 earns 2%; the rest partly or not

    def single() -> None:
        invoices = [services.invoice_post(actor=None, **row) for row in terms]
        for (customer, amount), invoice in zip(paid, [*invoices, None], strict=True):
            payment = services.payment_record(actor=None, customer=customer, received_date=day + timedelta(days=3),
                                              amount_minor=amount)
            if invoice is not None:
                services.payment_allocate(actor=None, payment=payment, on=payment.received_date,
                                          lines=[AllocationRequest(invoice.pk, amount)])

    def bulk() -> None:
        ids = invoices_post_bulk(actor=None, invoices=[InvoiceInput(**row) for row in terms]).created_ids
        payments_record_bulk(actor=None, payments=[
            PaymentInput(customer=customer, received_date=day + timedelta(days=3), amount_minor=amount,
                         allocations=(BulkAllocation(ids[n], amount),) if n < len(ids) else ())
            for n, (customer, amount) in enumerate(paid)])
        assert sorted(Payment.objects.values_list("amount_unallocated_minor", flat=True)) == [0, 0, 5_000]
        assert Invoice.objects.get(number="D-1").amount_open_minor == 0  # paid 98%, the 2% granted
        assert audit_batches_verify().ok and seals_verify() and all(report.ok for report in seals_verify())

    assert _outcome(bulk) == _outcome(single)
