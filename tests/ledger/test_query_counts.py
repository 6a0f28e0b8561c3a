"""The money-moving services run as many queries for a customer with three times the history, and an
allocation costs a fixed number of queries per line: an N+1 in a service fails here.

Each case warms the caches (the chart of accounts, the sequences) on another customer first, then runs the
service for a customer with a short history and for one with a history three times as long.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.ledger import services
from arms.ledger.models import Invoice, Payment
from arms.ledger.services.allocations import AllocationRequest
from arms.ledger.services.bulk import (
    BulkAllocation,
    InvoiceInput,
    PaymentInput,
    invoices_post_bulk,
    payments_record_bulk,
)
from tests import factories
from tests.queries import assert_flat, count_queries

SHORT, LONG = 2, 6
#: Queries one more allocation line costs, all writes of that line or checks of it: two sums (the invoice's
#: receivable relieved, the payment's cash used), the allocation row, the invoice's and the payment's new
#: amounts, its journal entry and lines, and its audit event (read the chain head, insert, move the head).
#: Nothing in it reads the customer's other rows.
PER_LINE = 10

pytestmark = pytest.mark.django_db


def customer_with_history(today, n: int):
    """A customer with ``n`` invoices, ``n`` payments each allocated to an invoice, and ``n`` credit notes."""
    cust = factories.customer()
    day = today - timedelta(days=60)
    for _ in range(n):
        invoice = factories.invoice(cust, issued=day)
        payment = factories.payment(cust, amount=50_000, received=day + timedelta(days=5))
        services.payment_allocate(actor=None, payment=payment, on=day + timedelta(days=6),
                                  lines=[AllocationRequest(invoice.pk, 50_000)])
        services.credit_note_post(actor=None, invoice=invoice, on=day + timedelta(days=7), net_minor=1_000,
                                  tax_minor=130, reason="折让")
    return cust


def per_history(today, service) -> None:
    service(customer_with_history(today, 1))  # warm the caches
    short, long = customer_with_history(today, SHORT), customer_with_history(today, LONG)
    assert_flat(service.__name__, count_queries(lambda: service(short)), count_queries(lambda: service(long)),
                per_shape=0)


def test_posting_an_invoice_does_not_read_the_customers_history(today):
    def invoice_post(cust):
        factories.invoice(cust, issued=today - timedelta(days=3))

    per_history(today, invoice_post)


def test_recording_a_payment_with_auto_allocation_does_not_read_row_by_row(today):
    def payment_record(cust):
        factories.payment(cust, amount=10_000, received=today - timedelta(days=2), auto_allocate=True)

    per_history(today, payment_record)


def test_a_credit_note_does_not_read_the_customers_history(today):
    def credit_note_post(cust):
        invoice = factories.invoice(cust, issued=today - timedelta(days=3))
        services.credit_note_post(actor=None, invoice=invoice, on=today, net_minor=1_000, tax_minor=130,
                                  reason="折让")

    per_history(today, credit_note_post)


def test_an_allocation_does_not_read_the_customers_history(today):
    def payment_allocate(cust):
        invoice = factories.invoice(cust, issued=today - timedelta(days=3))
        payment = factories.payment(cust, amount=10_000, received=today - timedelta(days=2))
        services.payment_allocate(actor=None, payment=payment, on=today,
                                  lines=[AllocationRequest(invoice.pk, 10_000)])

    per_history(today, payment_allocate)


def test_each_allocation_line_costs_a_fixed_number_of_queries(today):
    def allocate(lines: int) -> int:
        cust = factories.customer()
        invoices = [factories.invoice(cust, issued=today - timedelta(days=3)) for _ in range(lines)]
        payment = factories.payment(cust, amount=1_000 * lines, received=today - timedelta(days=2))
        payment = Payment.objects.get(pk=payment.pk)
        count, _sql = count_queries(lambda: services.payment_allocate(
            actor=None, payment=payment, on=today, lines=[AllocationRequest(i.pk, 1_000) for i in invoices]))
        return count

    allocate(1)  # warm the caches
    one, three, nine = allocate(1), allocate(3), allocate(9)
    assert (three - one) == 2 * PER_LINE and (nine - three) == 6 * PER_LINE, (one, three, nine)


#: Queries of one ``invoices_post_bulk`` call, whatever its size (its own audit sub-chain, no idempotency keys,
#: no contracts), as Django's cursor sees them: the savepoint and its release; open the sub-chain; lock the
#: customers; take the numbers (one UPDATE … RETURNING a series) and look for them among the existing ones; the
#: customers' discount policies; the batched credit check (usable overrides, profiles, overdue items, the exposure
#: sums as one UNION ALL, holds, the company's settings); the ids of the invoices and of their entries; the anchor
#: (the chain's head read, the event, the head moved, the batch row's count, hash and anchor). The rows themselves
#: (invoices, entries, lines, the sub-chain's events) go through the driver's cursor (``arms.common.bulk.Table``)
#: and are not counted here.
INVOICES_BULK = 19
#: Queries of one ``payments_record_bulk`` call with allocations, as above: the savepoint and its release; open the
#: sub-chain; lock the customers, then the invoices; the numbers (two); the payments' ids; what was relieved of the
#: invoices so far; the ids of the allocations and of the entries (the payments' and the allocations' together);
#: the invoices' open amounts; the anchor (four).
PAYMENTS_BULK = 16


def test_a_bulk_call_costs_a_fixed_number_of_queries_whatever_its_size(today):
    customers = [factories.customer() for _ in range(9)]

    def post(count: int) -> tuple[int, list[str]]:
        issued = today - timedelta(days=3)
        return count_queries(lambda: invoices_post_bulk(actor=None, invoices=[
            InvoiceInput(customer=customer, issue_date=issued, net_minor=100_000, tax_minor=13_000)
            for customer in customers[:count]]))

    def pay(count: int) -> tuple[int, list[str]]:
        received = today - timedelta(days=2)
        open_ = {invoice.customer_id: invoice.pk for invoice in Invoice.objects.filter(amount_open_minor__gt=0)}
        return count_queries(lambda: payments_record_bulk(actor=None, payments=[
            PaymentInput(customer=customer, received_date=received, amount_minor=50_000,
                         allocations=(BulkAllocation(open_[customer.pk]),))
            for customer in customers[:count]]))

    post(1), pay(1)  # warm the caches (the chart of accounts, the series' rows)
    small, large = post(3), post(9)
    assert_flat("invoices_post_bulk", small, large, per_shape=0)
    assert small[0] == large[0] == INVOICES_BULK, small[1]
    small, large = pay(3), pay(9)
    assert_flat("payments_record_bulk", small, large, per_shape=0)
    assert small[0] == large[0] == PAYMENTS_BULK, small[1]
