"""A small ledger with every kind of movement, the fixture the aging and KPI tests compute by hand.

Customer A (CNY, salesperson ``sam``, collector ``cole``, region east, industry manufacturing):
  INV-A1  issued 2026-01-10, due 2026-02-09, gross 113,000.00
  INV-A2  issued 2026-02-15, due 2026-03-17, gross  56,500.00
  RCV-1   2026-02-20, 50,000.00, allocated to A1 on 2026-02-20
  CN-1    2026-03-05, 10,000.00 + 1,300.00 VAT on A1
  RCV-2   2026-03-20, 56,500.00, allocated to A2 on 2026-03-20, that allocation undone on 2026-04-10
  RCV-3   2026-04-15, 30,000.00 (bank acceptance), allocated to A1 on 2026-04-15, the bill bounces 2026-05-05
Customer B (USD, salesperson ``sally``, region south, industry energy), rates 7.10 from 2026-01-01, 7.20 from
2026-03-01:
  INV-B1  issued 2026-01-20, due 2026-02-19, USD 1,130.00 (CNY 8,023.00)
  RCV-4   2026-03-10, USD 500.00, allocated to B1 on 2026-03-10
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from arms.ledger import services
from arms.ledger.services.allocations import AllocationRequest
from tests import factories

# The day the book is read, after its last movement and the bill's maturity: the modules that use the book run on
# it (`pytestmark = ON_BOOK_DAY`), so "March has ended" holds whatever the real date is.
BOOK_DAY = date(2026, 11, 30)
ON_BOOK_DAY = pytest.mark.clock(BOOK_DAY)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def book(db, company):
    sam = factories.user("sam", role="sales")
    sally = factories.user("sally", role="sales")
    cole = factories.user("cole", role="collector")
    a = factories.customer("A", salesperson=sam, collector=cole, region="east", industry="manufacturing")
    b = factories.customer("B", salesperson=sally, region="south", industry="energy", currency="USD")
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.10"))
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 3, 1), rate=Decimal("7.20"))

    a1 = factories.invoice(a, net=100_000_00, tax=13_000_00, issued=date(2026, 1, 10), number="INV-A1")
    a2 = factories.invoice(a, net=50_000_00, tax=6_500_00, issued=date(2026, 2, 15), number="INV-A2")
    b1 = factories.invoice(b, net=1_000_00, tax=130_00, issued=date(2026, 1, 20), number="INV-B1")

    p1 = factories.payment(a, amount=50_000_00, received=date(2026, 2, 20), number="RCV-1")
    services.payment_allocate(actor=None, payment=p1, lines=[AllocationRequest(a1.pk, 50_000_00)],
                              on=date(2026, 2, 20))
    services.credit_note_post(actor=None, invoice=a1, on=date(2026, 3, 5), net_minor=10_000_00, tax_minor=1_300_00,
                              reason="质量折让", number="CN-1")
    p2 = factories.payment(a, amount=56_500_00, received=date(2026, 3, 20), number="RCV-2")
    [alloc2] = services.payment_allocate(actor=None, payment=p2, lines=[AllocationRequest(a2.pk, 56_500_00)],
                                         on=date(2026, 3, 20))
    services.allocation_reverse(actor=None, allocation=alloc2, on=date(2026, 4, 10))
    p3 = factories.payment(a, amount=30_000_00, received=date(2026, 4, 15), number="RCV-3", method="bank_acceptance",
                           bill_number="B-1", bill_maturity_date=date(2026, 10, 15))
    services.payment_allocate(actor=None, payment=p3, lines=[AllocationRequest(a1.pk, 30_000_00)],
                              on=date(2026, 4, 15))
    services.payment_reverse(actor=None, payment=p3, reason="票据退回", on=date(2026, 5, 5))
    p4 = factories.payment(b, amount=500_00, received=date(2026, 3, 10), number="RCV-4")
    services.payment_allocate(actor=None, payment=p4, lines=[AllocationRequest(b1.pk, 500_00)], on=date(2026, 3, 10))
    return {"a": a, "b": b, "a1": a1, "a2": a2, "b1": b1, "sam": sam, "sally": sally, "cole": cole}
