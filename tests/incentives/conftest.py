"""A small book on a fixed calendar (Saturday 2026-12-05), every figure of November's payout sheet computed by hand.

Two salespeople, s1 and s2; all in CNY:

- X changes hands on Monday 11-16: s1 until then, s2 from then (CustomerAssignment rows). Its invoice X1 of
  1,000.00 was due Friday 10-30 (overdue at the start of November); 400.00 came on 11-10 (credited to s1), 600.00
  on 11-20 (credited to s2).
- Y has no history rows (falls back to its current salesperson s1). Y1 of 500.00 due Wednesday 11-18 was paid that
  day; Y_OLD of 300.00 due 07-01 is open, more than 90 days past due at 11-30; Z of 2,000.00 was issued 11-25.

Ratings: the finance manager rates s1 80 and s2 70, the finance clerk rates s1 90.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from arms.customers.models import AssignmentRole, Customer, CustomerAssignment
from arms.ledger.services.allocations import AllocationRequest, payment_allocate
from arms.ledger.services.payments import payment_record
from tests import factories

TODAY = date(2026, 12, 5)
NOVEMBER = date(2026, 11, 1)


@dataclass
class Book:
    fm1: object
    fm2: object
    clerk: object
    s1: object
    s2: object
    x: Customer
    y: Customer


def pay(customer, invoice, amount, day, number):
    payment = payment_record(actor=None, customer=customer, received_date=day, amount_minor=amount,
                             number=number, auto_allocate=False)
    payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice_id=invoice.pk,
                                                                           amount_minor=amount)], on=day)
    return payment


@pytest.fixture
def book(db) -> Book:
    fm1 = factories.user("fm1", role="finance_manager")
    fm2 = factories.user("fm2", role="finance_manager")
    clerk = factories.user("clerk", role="finance_clerk")
    s1 = factories.user("s1", role="sales")
    s2 = factories.user("s2", role="sales")
    x = factories.customer("X", name="华东机电有限公司", salesperson=s2)
    y = factories.customer("Y", name="南方电子有限公司", salesperson=s1)
    CustomerAssignment.objects.filter(customer__in=[x, y]).delete()
    CustomerAssignment.objects.create(customer=x, role=AssignmentRole.SALESPERSON, user=s1,
                                      valid_from=date(2026, 1, 1), valid_to=date(2026, 11, 16), source="test")
    CustomerAssignment.objects.create(customer=x, role=AssignmentRole.SALESPERSON, user=s2,
                                      valid_from=date(2026, 11, 16), source="test")
    x1 = factories.invoice(x, number="X1", net=100_000, tax=0, issued=date(2026, 10, 1), due_date=date(2026, 10, 30))
    y1 = factories.invoice(y, number="Y1", net=50_000, tax=0, issued=date(2026, 10, 20), due_date=date(2026, 11, 18))
    factories.invoice(y, number="Y_OLD", net=30_000, tax=0, issued=date(2026, 6, 1), due_date=date(2026, 7, 1))
    factories.invoice(y, number="Z", net=200_000, tax=0, issued=date(2026, 11, 25), due_date=date(2026, 12, 25))
    pay(x, x1, 40_000, date(2026, 11, 10), "R-X-1")
    pay(y, y1, 50_000, date(2026, 11, 18), "R-Y-1")
    pay(x, x1, 60_000, date(2026, 11, 20), "R-X-2")
    return Book(fm1, fm2, clerk, s1, s2, x, y)
