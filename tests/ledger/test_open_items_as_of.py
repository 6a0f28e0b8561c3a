"""``open_items_as_of`` (the later allocations summed once per invoice in a joined table) against the plain
definition: gross − Σ allocations dated on or before the day, per invoice, and gross in CNY − Σ receivable
relieved on or before the day, over a book with back-dated allocations, reversals, bounced bills, credit notes,
a write-off and its recovery, in CNY and USD, on many days."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from arms.customers.models import Customer
from arms.ledger import services
from arms.ledger.balances import open_items_as_of
from arms.ledger.models import Allocation, Invoice
from arms.ledger.services.allocations import AllocationRequest
from arms.ledger.services.writeoffs import invoice_write_off, write_off_recover
from tests import factories

pytestmark = pytest.mark.clock("2026-11-30")


def _book(today: date, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = today - timedelta(days=200)
    services.exchange_rate_set(actor=None, currency="USD", on=start - timedelta(days=30), rate=Decimal("7.10"))
    services.exchange_rate_set(actor=None, currency="USD", on=start + timedelta(days=90), rate=Decimal("7.23"))
    customers = [factories.customer(f"OI{n}", currency="USD" if n == 2 else "CNY") for n in range(3)]
    invoices = []
    for n in range(24):
        issued = start + timedelta(days=rng.randrange(150))
        invoices.append(factories.invoice(customers[n % 3], net=rng.randrange(1_000_00, 50_000_00), tax=0,
                                          issued=issued, number=f"OI-{n}"))
    # payments, bounced bills and credit notes in date order, each a few days after its invoice
    for n, invoice in enumerate(invoices):
        day = invoice.issue_date
        for _step in range(rng.randrange(0, 4)):
            day += timedelta(days=rng.randrange(1, 30))
            invoice.refresh_from_db()
            if day >= today or invoice.amount_open_minor <= 0:
                break
            part = max(1, invoice.amount_open_minor * rng.choice([30, 50, 100]) // 100)
            kind = rng.choice(["pay", "pay", "bill", "credit"])
            if kind == "credit":
                services.credit_note_post(actor=None, invoice=invoice, on=day, net_minor=part, tax_minor=0,
                                          reason="折让")
                continue
            extra = {"method": "bank_acceptance", "bill_number": f"B-{n}-{day:%m%d}",
                     "bill_maturity_date": day + timedelta(days=90)} if kind == "bill" else {}
            paid = factories.payment(invoice.customer, amount=part, received=day, currency=invoice.currency,
                                     **extra)
            [allocation] = services.payment_allocate(actor=None, payment=paid,
                                                     lines=[AllocationRequest(invoice.pk, part)], on=day)
            if kind == "bill":
                services.payment_reverse(actor=None, payment=paid, reason="票据退回",
                                         on=day + timedelta(days=rng.randrange(3, 20)))
            elif rng.random() < 0.2:
                services.allocation_reverse(actor=None, allocation=allocation, reason="分错",
                                            on=day + timedelta(days=rng.randrange(0, 15)))
    # back-dated: posted now, dated weeks before allocations already on the books
    for invoice in invoices[::5]:
        invoice.refresh_from_db()
        if invoice.amount_open_minor > 1:
            day = invoice.issue_date + timedelta(days=2)
            paid = factories.payment(invoice.customer, amount=invoice.amount_open_minor // 2, received=day,
                                     currency=invoice.currency)
            services.payment_allocate(actor=None, payment=paid,
                                      lines=[AllocationRequest(invoice.pk, invoice.amount_open_minor // 2)], on=day)
    # a bad debt written off and partly recovered
    victim = next(i for i in invoices if Invoice.objects.get(pk=i.pk).amount_open_minor > 100_00)
    victim.refresh_from_db()
    written = invoice_write_off(actor=None, invoice=victim, amount_minor=victim.amount_open_minor,
                                on=today - timedelta(days=40), kind="bad_debt", account="1231", reason="破产清算终结")
    write_off_recover(actor=None, write_off=written, amount_minor=100_00, on=today - timedelta(days=10),
                      reason="破产财产分配")


def _reference(day: date) -> dict[str, tuple[int, int]]:
    """{invoice number: (open, open in CNY)} at the end of ``day``, from every allocation, the long way."""
    allocated: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for allocation in Allocation.objects.filter(date__lte=day):
        allocated[allocation.invoice_id][0] += allocation.amount_minor
        allocated[allocation.invoice_id][1] += allocation.receivable_base_minor
    result = {}
    for invoice in Invoice.objects.filter(issue_date__lte=day):
        amount, base = allocated[invoice.pk]
        if invoice.gross_minor - amount > 0:
            result[invoice.number] = (invoice.gross_minor - amount, invoice.gross_base_minor - base)
    return result


def _read(qs) -> dict[str, tuple[int, int]]:
    return {row["number"]: (row["open_as_of"], row["open_base_as_of"])
            for row in qs.values("number", "open_as_of", "open_base_as_of")}


def test_open_items_as_of_are_gross_less_the_allocations_to_the_day(db, company, today):
    _book(today)
    allocations = Allocation.objects.all()
    assert allocations.filter(reverses__isnull=False).exists() and allocations.filter(credit_note__isnull=False)
    assert allocations.filter(write_off__isnull=False, amount_minor__lt=0).exists()  # the recovery
    assert allocations.filter(invoice__currency="USD").exists()
    dates = list(allocations.order_by("pk").values_list("date", flat=True))
    assert any(day < max(dates[:n]) for n, day in enumerate(dates) if n)  # back-dated after later ones
    first = min(allocations.values_list("date", flat=True))
    days = sorted({first - timedelta(days=1), first, today, today + timedelta(days=5),
                   *(today - timedelta(days=n) for n in (1, 10, 25, 40, 41, 63, 90, 120, 160))})
    month_ends = [today.replace(day=1) - timedelta(days=1)]
    while len(month_ends) < 6:
        month_ends.append(month_ends[-1].replace(day=1) - timedelta(days=1))
    usd = Customer.objects.filter(currency="USD")
    invoices = {invoice.number: invoice for invoice in Invoice.objects.all()}
    checked = 0
    for day in sorted({*days, *month_ends}):
        expected = _reference(day)
        assert _read(open_items_as_of(day)) == expected, day
        # narrowed to customers, and as a subquery (Django renames the joined table's alias)
        assert _read(open_items_as_of(day, customers=usd)) == {
            number: figures for number, figures in expected.items()
            if invoices[number].currency == "USD"}, day
        inner = open_items_as_of(day).filter(due_date__lt=day).values("pk")
        assert set(Invoice.objects.filter(pk__in=inner).values_list("number", flat=True)) == {
            number for number in expected if invoices[number].due_date < day}, day
        totals = open_items_as_of(day).order_by().values("currency").annotate(
            open=Sum("open_as_of"), base=Sum("open_base_as_of"))
        assert {row["currency"]: (row["open"], row["base"]) for row in totals} == {
            currency: (sum(v[0] for n, v in expected.items() if invoices[n].currency == currency),
                       sum(v[1] for n, v in expected.items() if invoices[n].currency == currency))
            for currency in {invoices[n].currency for n in expected}}, day
        checked += bool(expected) and Allocation.objects.filter(date__gt=day).exists()
    assert checked >= 10
