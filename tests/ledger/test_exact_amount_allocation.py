"""Recording a payment with auto-allocation: an invoice open for exactly the amount is what the money pays, before
the oldest-first rule (issue 12: the demo applied 30,000.00 to an older 10,000.00 invoice and left both open)."""

from __future__ import annotations

from datetime import timedelta

from arms.ledger import services
from arms.ledger.models import Allocation
from tests import factories
from tests.conftest import ledger_problems


def _open(invoice) -> int:
    invoice.refresh_from_db()
    return invoice.amount_open_minor


def test_a_payment_equal_to_a_newer_invoice_settles_that_invoice(customer, clerk, today):
    older = factories.invoice(customer, net=1_000_000, tax=0, issued=today - timedelta(days=90), number="INV-OLD")
    exact = factories.invoice(customer, net=3_000_000, tax=0, issued=today - timedelta(days=30), number="INV-EXACT")

    payment = factories.payment(customer, amount=3_000_000, received=today, actor=clerk, auto_allocate=True)

    assert [(a.invoice.number, a.amount_minor) for a in Allocation.objects.filter(payment=payment)] == [
        ("INV-EXACT", 3_000_000)]
    assert (_open(older), _open(exact)) == (1_000_000, 0)
    assert ledger_problems() == {}


def test_of_two_exact_invoices_the_older_is_settled(customer, clerk, today):
    first = factories.invoice(customer, net=50_000, tax=0, issued=today - timedelta(days=60), number="INV-1")
    second = factories.invoice(customer, net=50_000, tax=0, issued=today - timedelta(days=20), number="INV-2")
    factories.invoice(customer, net=10_000, tax=0, issued=today - timedelta(days=120), number="INV-0")

    payment = factories.payment(customer, amount=50_000, received=today, actor=clerk)
    made = services.payment_auto_allocate(actor=clerk, payment=payment)

    assert [(a.invoice.number, a.amount_minor) for a in made] == [("INV-1", 50_000)]
    assert (_open(first), _open(second)) == (0, 50_000)


def test_without_an_exact_invoice_the_oldest_is_settled_first(customer, clerk, today):
    older = factories.invoice(customer, net=10_000, tax=0, issued=today - timedelta(days=60), number="INV-A")
    newer = factories.invoice(customer, net=30_000, tax=0, issued=today - timedelta(days=10), number="INV-B")

    payment = factories.payment(customer, amount=25_000, received=today, actor=clerk, auto_allocate=True)

    assert [(a.invoice.number, a.amount_minor) for a in Allocation.objects.filter(payment=payment).order_by("pk")] == [
        ("INV-A", 10_000), ("INV-B", 15_000)]
    assert (_open(older), _open(newer)) == (0, 15_000)


def test_what_is_left_of_a_part_applied_payment_finds_its_exact_invoice(customer, clerk, today):
    first = factories.invoice(customer, net=40_000, tax=0, issued=today - timedelta(days=60), number="INV-A")
    second = factories.invoice(customer, net=20_000, tax=0, issued=today - timedelta(days=30), number="INV-B")
    payment = factories.payment(customer, amount=30_000, received=today, actor=clerk)
    services.payment_allocate(actor=clerk, payment=payment,
                              lines=[services.allocations.AllocationRequest(first.pk, 10_000)])

    made = services.payment_auto_allocate(actor=clerk, payment=payment)

    assert [(a.invoice.number, a.amount_minor) for a in made] == [("INV-B", 20_000)]
    assert (_open(first), _open(second)) == (30_000, 0)
