"""A small book on a fixed calendar (Tuesday 2026-10-20), every figure of which the tests compute by hand.

Two customers, all in CNY, no settled history (so every item is predicted paid on its due date, or today when it
is already overdue):

- BIG (the largest): one invoice of 3,000.00 due Wednesday 10-28 (week 2);
- OTHER: 1,000.00 due Wednesday 11-04 (week 3), 500.00 due Thursday 10-22 (week 1), and 400.00 due 09-30,
  20 days overdue today (predicted today, week 1).

Weeks start on Monday: week 1 is 10-19, week 2 10-26, week 3 11-02 ... week 13 2027-01-11.
Settings: opening cash 1,000.00, weekly outflows 300.00, financing rate 3.65% a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from arms.customers.models import Customer
from arms.customers.services import company_ensure
from arms.ledger.models import Invoice
from arms.stress.models import StressSettings
from tests import factories

TODAY = date(2026, 10, 20)


@dataclass
class Book:
    finmgr: object
    executive: object
    sales: object
    big: Customer
    other: Customer
    inv_big: Invoice
    inv_soon: Invoice
    inv_later: Invoice
    inv_overdue: Invoice


@pytest.fixture
def book(db) -> Book:
    finmgr = factories.user("finmgr", role="finance_manager")
    executive = factories.user("exec", role="executive")
    sales = factories.user("sales", role="sales")
    big = factories.customer("BIG", name="华东精密机械有限公司")
    other = factories.customer("OTH", name="南方电子科技有限公司")
    inv_big = factories.invoice(big, number="INV-BIG", net=300_000, tax=0, issued=date(2026, 9, 28),
                                due_date=date(2026, 10, 28))
    inv_later = factories.invoice(other, number="INV-LATER", net=100_000, tax=0, issued=date(2026, 10, 5),
                                  due_date=date(2026, 11, 4))
    inv_soon = factories.invoice(other, number="INV-SOON", net=50_000, tax=0, issued=date(2026, 9, 22),
                                 due_date=date(2026, 10, 22))
    inv_overdue = factories.invoice(other, number="INV-OVERDUE", net=40_000, tax=0, issued=date(2026, 8, 31),
                                    due_date=date(2026, 9, 30))
    StressSettings.objects.update_or_create(company=company_ensure(), defaults={
        "opening_cash_minor": 100_000, "weekly_outflow_minor": 30_000, "financing_rate_bp": 365})
    return Book(finmgr, executive, sales, big, other, inv_big, inv_soon, inv_later, inv_overdue)
