"""A small provisioning book, dated from the test's clock: the last three month ends E1 < E2 < E3 before today and
one customer with two invoices, A (1,130.00, due 10 days before E1) and B (2,260.00, due 200 days before E1).

By the seeds' matrix (0-30 days past due 1%, 31-180 5%, 181-365 30%, over 365 100%):

- at E1, A is 10 days past due (1%) and B about 200 (30%);
- at E2, A is 38 to 41 days past due (5%), B still in 181-365;
- between E2 and E3 a payment of 1,130.00 goes to B, which keeps 1,130.00 open in 181-365.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from arms.customers.models import Customer
from arms.ledger import services
from arms.ledger.models import Invoice
from arms.ledger.services.allocations import AllocationRequest
from tests import factories


def previous_month_end(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


@dataclass
class Book:
    finmgr: object
    clerk: object
    auditor: object
    customer: Customer
    inv_a: Invoice
    inv_b: Invoice
    e1: date
    e2: date
    e3: date


@pytest.fixture
def book(db, today) -> Book:
    finmgr = factories.user("finmgr", role="finance_manager")
    clerk = factories.user("clerk", role="finance_clerk")
    auditor = factories.user("auditor", role="auditor")
    e3 = previous_month_end(today)
    e2 = previous_month_end(e3)
    e1 = previous_month_end(e2)
    customer = factories.customer("P1", name="华东精密机械有限公司")
    due_a, due_b = e1 - timedelta(days=10), e1 - timedelta(days=200)
    inv_a = factories.invoice(customer, number="INV-A", net=100_000, tax=13_000, issued=due_a - timedelta(days=30),
                              due_date=due_a, actor=clerk)
    inv_b = factories.invoice(customer, number="INV-B", net=200_000, tax=26_000, issued=due_b - timedelta(days=30),
                              due_date=due_b, actor=clerk)
    return Book(finmgr, clerk, auditor, customer, inv_a, inv_b, e1, e2, e3)


def pay_b(book: Book) -> None:
    """1,130.00 received five days after E2 and allocated to B."""
    payment = factories.payment(book.customer, amount=113_000, received=book.e2 + timedelta(days=5), actor=book.clerk)
    services.payment_allocate(actor=book.clerk, payment=payment,
                              lines=[AllocationRequest(book.inv_b.pk, 113_000)],
                              on=book.e2 + timedelta(days=5))
