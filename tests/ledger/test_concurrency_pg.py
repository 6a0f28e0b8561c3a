"""Real threads against PostgreSQL: the row locks (customer, invoices by pk, payment) make concurrent
allocations queue, so nothing is over-allocated, the losers get a clean 409-style refusal, and the books tie.

Each test commits for real (transaction=True); serialized_rollback restores the chart of accounts and the
audit head that the flush after each test removes.
"""

from datetime import date

import pytest

from arms.audit.services import audit_verify
from arms.ledger import services
from arms.ledger.models import Allocation, Invoice, Payment
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.conftest import ledger_problems, postgres_available
from tests.ledger.concurrency import outcomes, race

pytestmark = [
    pytest.mark.skipif(not postgres_available(),
                       reason="row-lock concurrency needs PostgreSQL: set DATABASE_URL=postgres://... "
                              "(SQLite is covered by test_concurrency_sqlite.py)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 8


def allocated_to(invoice) -> int:
    return sum(Allocation.objects.filter(invoice=invoice).values_list("amount_minor", flat=True))


def test_many_threads_allocating_one_payment_to_the_same_invoices(company):
    customer = factories.customer()
    first = factories.invoice(customer)  # 113,000
    second = factories.invoice(customer, net=50_000, tax=6_500)  # 56,500
    payment = factories.payment(customer, amount=100_000)

    def allocate():
        return services.payment_allocate(
            actor=None, payment=Payment.objects.get(pk=payment.pk), on=date(2026, 2, 1),
            lines=[AllocationRequest(first.pk, 20_000), AllocationRequest(second.pk, 10_000)],
        )

    results = race([allocate] * THREADS)

    # 30,000 a time: the payment's 100,000 covers three; the fourth would need 120,000
    assert outcomes(results) == {"ok": 3, "over_allocation": THREADS - 3}
    payment.refresh_from_db()
    assert payment.amount_unallocated_minor == 10_000
    assert Invoice.objects.get(pk=first.pk).amount_open_minor == 113_000 - 60_000 == 113_000 - allocated_to(first)
    assert Invoice.objects.get(pk=second.pk).amount_open_minor == 56_500 - 30_000 == 56_500 - allocated_to(second)
    assert ledger_problems() == {}
    assert audit_verify().ok


def test_many_threads_allocating_different_payments_to_one_invoice(company):
    customer = factories.customer()
    invoice = factories.invoice(customer)  # 113,000
    payments = [factories.payment(customer, amount=20_000) for _ in range(THREADS)]

    def allocate(payment_id):
        return lambda: services.payment_allocate(actor=None, payment=Payment.objects.get(pk=payment_id),
                                                 lines=[AllocationRequest(invoice.pk, 20_000)], on=date(2026, 2, 1))

    results = race([allocate(p.pk) for p in payments])

    # five payments of 20,000 fit into 113,000; the sixth finds only 13,000 open
    assert outcomes(results) == {"ok": 5, "over_allocation": THREADS - 5}
    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 13_000 == 113_000 - allocated_to(invoice)
    assert sorted(Payment.objects.filter(customer=customer).values_list("amount_unallocated_minor", flat=True)) == (
        [0] * 5 + [20_000] * (THREADS - 5))
    assert ledger_problems() == {}


def test_many_threads_auto_allocating_payments_to_the_same_invoices(company):
    customer = factories.customer()
    invoices = [factories.invoice(customer) for _ in range(3)]  # 339,000 open in all
    payments = [factories.payment(customer, amount=100_000) for _ in range(THREADS)]

    def auto(payment_id):
        return lambda: services.payment_auto_allocate(actor=None, payment=Payment.objects.get(pk=payment_id),
                                                      on=date(2026, 2, 1))

    results = race([auto(p.pk) for p in payments])

    assert outcomes(results) == {"ok": THREADS}
    assert sum(Invoice.objects.filter(customer=customer).values_list("amount_open_minor", flat=True)) == 0
    assert sum(Payment.objects.filter(customer=customer).values_list("amount_unallocated_minor", flat=True)) == (
        THREADS * 100_000 - 3 * 113_000)
    assert all(allocated_to(invoice) == 113_000 for invoice in invoices)
    assert ledger_problems() == {}


def test_reversing_one_payment_from_many_threads_reverses_it_once(company):
    customer = factories.customer()
    invoice = factories.invoice(customer)
    payment = factories.payment(customer, amount=50_000)
    services.payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, 50_000)],
                              on=date(2026, 2, 1))

    results = race([lambda: services.payment_reverse(actor=None, payment=Payment.objects.get(pk=payment.pk),
                                                     reason="退票", on=date(2026, 2, 2))] * THREADS)

    assert outcomes(results) == {"ok": 1, "already_reversed": THREADS - 1}
    assert Allocation.objects.filter(payment=payment).count() == 2
    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 113_000
    assert ledger_problems() == {}


def test_reversing_one_allocation_from_many_threads_reverses_it_once(company):
    customer = factories.customer()
    invoice = factories.invoice(customer)
    payment = factories.payment(customer, amount=50_000)
    [allocation] = services.payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, 50_000)],
                                             on=date(2026, 2, 1))

    results = race([lambda: services.allocation_reverse(actor=None, allocation=Allocation.objects.get(pk=allocation.pk),
                                                        on=date(2026, 2, 2), reason="keyed twice")] * THREADS)

    assert outcomes(results) == {"ok": 1, "already_reversed": THREADS - 1}
    assert Payment.objects.get(pk=payment.pk).amount_unallocated_minor == 50_000
    assert ledger_problems() == {}


def test_two_customers_posting_the_same_invoice_number_at_once(company):
    customers = [factories.customer() for _ in range(THREADS)]

    def post(customer):
        return lambda: services.invoice_post(actor=None, customer=customer, issue_date=date(2026, 1, 10),
                                             net_minor=100, tax_minor=0, number="INV-SAME")

    results = race([post(c) for c in customers])

    assert outcomes(results) == {"ok": 1, "duplicate_number": THREADS - 1}
    assert Invoice.objects.filter(number="INV-SAME").count() == 1
    assert ledger_problems() == {}


def test_concurrent_postings_take_gap_free_numbers(company):
    customers = [factories.customer() for _ in range(THREADS)]

    def post(customer):
        return lambda: services.invoice_post(actor=None, customer=customer, issue_date=date(2026, 1, 10),
                                             net_minor=100, tax_minor=0)

    results = race([post(c) for c in customers])

    assert outcomes(results) == {"ok": THREADS}
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [f"INV-{n:06d}" for n in range(1, THREADS + 1)]
    assert audit_verify().ok
