"""A small book the report tests compute by hand. Month under report: October 2026 (as of 2026-10-31).

Customer HD 华东精密机械 (CNY, salesperson ``sales_a``, collector ``coll``), terms 30 days:
  INV-HD-1  issued 2026-06-01, due 2026-07-01, gross 113,000.00; RCV-HD-1 30,000.00 allocated 2026-10-10
            -> open 83,000.00 on 31 Oct, 122 days past due (bucket 91-180)
  INV-HD-2  issued 2026-09-20, due 2026-10-20, gross   5,650.00 -> 11 days past due (1-30); paid 2026-11-05,
            after the month, so it is still open in October's report
Customer XN 西南物流 (CNY, salesperson ``sales_b``):
  INV-XN-1  issued 2026-10-15, due 2026-11-14, gross   2,260.00 -> not yet due
  INV-XN-0  issued 2026-08-01, due 2026-08-31, gross  11,300.00 -> 61 days past due (61-90)

Aging total on 31 Oct 2026: 83,000.00 + 5,650.00 + 2,260.00 + 11,300.00 = 102,210.00 (10,221,000 fen).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from arms.ledger import services
from arms.ledger.services.allocations import AllocationRequest
from tests import factories

OCTOBER = date(2026, 10, 1)
# The day the book is read (after its last movement on 5 Nov): the modules that use it run on this day
# (`pytestmark = ON_BOOK_DAY`), whatever the real date, so "October has ended" stays true before and after.
TODAY = date(2026, 11, 23)
ON_BOOK_DAY = pytest.mark.clock(TODAY)
AGING_TOTAL_OCTOBER = 83_000_00 + 5_650_00 + 2_260_00 + 11_300_00
BUCKETS_OCTOBER = {"current": 2_260_00, "1-30": 5_650_00, "61-90": 11_300_00, "91-180": 83_000_00}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@dataclass
class Book:
    clerk: object
    sales_a: object
    sales_b: object
    collector: object
    executive: object
    finance_manager: object
    hd: object
    xn: object


@pytest.fixture
def book(db, company) -> Book:
    clerk = factories.user("clerk", role="finance_clerk")
    sales_a = factories.user("sales_a", role="sales")
    sales_b = factories.user("sales_b", role="sales")
    collector = factories.user("coll", role="collector")
    executive = factories.user("boss", role="executive")
    executive.email = "boss@example.com"
    executive.save(update_fields=["email"])
    manager = factories.user("fm", role="finance_manager")
    hd = factories.customer("HD001", name="华东精密机械有限公司", salesperson=sales_a, collector=collector)
    xn = factories.customer("XN001", name="西南物流有限公司", salesperson=sales_b)
    hd1 = factories.invoice(hd, net=100_000_00, tax=13_000_00, issued=date(2026, 6, 1), number="INV-HD-1", actor=clerk)
    hd2 = factories.invoice(hd, net=5_000_00, tax=650_00, issued=date(2026, 9, 20), number="INV-HD-2", actor=clerk)
    factories.invoice(xn, net=2_000_00, tax=260_00, issued=date(2026, 10, 15), number="INV-XN-1", actor=clerk)
    factories.invoice(xn, net=10_000_00, tax=1_300_00, issued=date(2026, 8, 1), number="INV-XN-0", actor=clerk)
    p1 = factories.payment(hd, amount=30_000_00, received=date(2026, 10, 10), number="RCV-HD-1", actor=clerk)
    services.payment_allocate(actor=clerk, payment=p1, lines=[AllocationRequest(hd1.pk, 30_000_00)],
                              on=date(2026, 10, 10))
    p2 = factories.payment(hd, amount=5_650_00, received=date(2026, 11, 5), number="RCV-HD-2", actor=clerk)
    services.payment_allocate(actor=clerk, payment=p2, lines=[AllocationRequest(hd2.pk, 5_650_00)],
                              on=date(2026, 11, 5))
    return Book(clerk, sales_a, sales_b, collector, executive, manager, hd, xn)
