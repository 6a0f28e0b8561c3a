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
    services.allocation_reverse(reason="重复", actor=None, allocation=alloc2, on=date(2026, 4, 10))
    p3 = factories.payment(a, amount=30_000_00, received=date(2026, 4, 15), number="RCV-3", method="bank_acceptance",
                           bill_number="B-1", bill_maturity_date=date(2026, 10, 15))
    services.payment_allocate(actor=None, payment=p3, lines=[AllocationRequest(a1.pk, 30_000_00)],
                              on=date(2026, 4, 15))
    services.payment_reverse(actor=None, payment=p3, reason="票据退回", on=date(2026, 5, 5))
    p4 = factories.payment(b, amount=500_00, received=date(2026, 3, 10), number="RCV-4")
    services.payment_allocate(actor=None, payment=p4, lines=[AllocationRequest(b1.pk, 500_00)], on=date(2026, 3, 10))
    return {"a": a, "b": b, "a1": a1, "a2": a2, "b1": b1, "sam": sam, "sally": sally, "cole": cole}


@pytest.fixture
def recovery_book(db, company):
    """The worked example of 回收率 and 催收成功率 in docs/analytics-kpis.md: October 2026, no grace.

    Customer HD (CNY, salesperson ``sam``, collector ``cole``) and customer US (USD, salesperson ``sally``,
    collector ``cora``); USD 7.10 from 2026-08-01, 7.20 from 2026-10-01. Every invoice is net, no VAT.

    Falling due in October (回收率):
      R1  HD  due Sun 4 Oct (National Day: deadline Thu 8 Oct)  100,000.00; paid 100,000.00 on 8 Oct
      R2  HD  due 15 Oct   50,000.00; paid 20,000.00 on 15 Oct, 30,000.00 on 20 Oct
      R3  HD  due 20 Oct   30,000.00; credit note 5,000.00 on 12 Oct; dispute 10,000.00 raised 16 Oct
                           (rejected 5 Nov); paid 15,000.00 on 20 Oct
      R4  US  due 30 Oct   USD 1,000.00 = ¥7,100.00; paid USD 500.00 on 30 Oct (relieves ¥3,550.00)
      R5  HD  due Sat 31 Oct (deadline Mon 2 Nov: November's)  20,000.00; unpaid
    Overdue at the start of October (催收成功率):
      O1  HD  due 31 Aug   80,000.00 open; paid 50,000.00 on 15 Oct
      O2  HD  due 15 Sep   40,000.00; paid 10,000.00 on 10 Sep; dispute 12,000.00 raised 20 Sep, settled by a
                           credit note of 12,000.00 on 25 Oct; paid 18,000.00 on 28 Oct
      O3  HD  due 31 Jul   25,000.00; credit note 5,000.00 on 5 Oct; nothing paid
      O4  US  due 10 Sep   USD 2,000.00 = ¥14,200.00; paid USD 2,000.00 on 20 Oct (¥14,400.00 cash, relieves
                           ¥14,200.00)
    """
    from arms.cases.services.disputes import dispute_raise, dispute_resolve

    clerk = factories.user("rb-clerk", role="finance_manager")
    sam = factories.user("sam", role="sales")
    sally = factories.user("sally", role="sales")
    cole = factories.user("cole", role="collector")
    cora = factories.user("cora", role="collector")
    hd = factories.customer("HD", salesperson=sam, collector=cole)
    us = factories.customer("US", salesperson=sally, collector=cora, currency="USD")
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 8, 1), rate=Decimal("7.10"))
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 10, 1), rate=Decimal("7.20"))

    def invoice(customer, number, issued, due, amount):
        return factories.invoice(customer, net=amount, tax=0, issued=issued, due_date=due, number=number,
                                 actor=clerk)

    def pay(customer, number, on, amount, invoice):
        received = factories.payment(customer, amount=amount, received=on, number=number, actor=clerk)
        services.payment_allocate(actor=clerk, payment=received, lines=[AllocationRequest(invoice.pk, amount)],
                                  on=on)

    def credit(invoice, on, amount, number):
        services.credit_note_post(actor=clerk, invoice=invoice, on=on, net_minor=amount, tax_minor=0,
                                  reason="折让", number=number)

    o3 = invoice(hd, "O3", date(2026, 7, 1), date(2026, 7, 31), 25_000_00)
    o1 = invoice(hd, "O1", date(2026, 8, 1), date(2026, 8, 31), 80_000_00)
    o4 = invoice(us, "O4", date(2026, 8, 11), date(2026, 9, 10), 2_000_00)
    o2 = invoice(hd, "O2", date(2026, 8, 16), date(2026, 9, 15), 40_000_00)
    pay(hd, "P-O2a", date(2026, 9, 10), 10_000_00, o2)
    o2_dispute = dispute_raise(invoice=o2, amount_minor=12_000_00, reason_code="price", actor=clerk,
                               raised_on=date(2026, 9, 20))
    r1 = invoice(hd, "R1", date(2026, 9, 4), date(2026, 10, 4), 100_000_00)
    r2 = invoice(hd, "R2", date(2026, 9, 15), date(2026, 10, 15), 50_000_00)
    r3 = invoice(hd, "R3", date(2026, 9, 20), date(2026, 10, 20), 30_000_00)
    r4 = invoice(us, "R4", date(2026, 9, 30), date(2026, 10, 30), 1_000_00)
    invoice(hd, "R5", date(2026, 10, 1), date(2026, 10, 31), 20_000_00)

    credit(o3, date(2026, 10, 5), 5_000_00, "CN-O3")
    pay(hd, "P-R1", date(2026, 10, 8), 100_000_00, r1)
    credit(r3, date(2026, 10, 12), 5_000_00, "CN-R3")
    pay(hd, "P-O1", date(2026, 10, 15), 50_000_00, o1)
    pay(hd, "P-R2a", date(2026, 10, 15), 20_000_00, r2)
    r3_dispute = dispute_raise(invoice=r3, amount_minor=10_000_00, reason_code="quality", actor=clerk,
                               raised_on=date(2026, 10, 16))
    pay(hd, "P-R2b", date(2026, 10, 20), 30_000_00, r2)
    pay(hd, "P-R3", date(2026, 10, 20), 15_000_00, r3)
    pay(us, "P-O4", date(2026, 10, 20), 2_000_00, o4)
    dispute_resolve(dispute=o2_dispute, resolution="credit_note", actor=clerk, on=date(2026, 10, 25))
    pay(hd, "P-O2b", date(2026, 10, 28), 18_000_00, o2)
    pay(us, "P-R4", date(2026, 10, 30), 500_00, r4)
    dispute_resolve(dispute=r3_dispute, resolution="rejected", actor=clerk, on=date(2026, 11, 5))
    return {"hd": hd, "us": us, "sam": sam, "sally": sally, "cole": cole, "cora": cora, "clerk": clerk}
