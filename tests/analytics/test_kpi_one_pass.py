"""The KPI set's combined reads against the separate ones they replace, on a book with back-dated allocations,
reversals, bounced bills, credit notes, a write-off and its recovery, in CNY and USD
(``tests.ledger.test_open_items_as_of._book``): the opening and closing receivables in one pass
(``kpis.receivables_splits`` over ``balances.open_items_on_days``) give, day pair by day pair, what two
``receivables_split`` reads give; with 催收成功率's sums (``kpis.receivables_and_dunning``), what those two and
``recovery.dunning_parts`` give, also on the generated ledger of ``test_recovery`` (disputes, grace days)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arms.analytics import kpis
from arms.analytics.recovery import RateParts, dunning_parts
from arms.cases.models import Dispute
from arms.customers.models import Customer
from arms.ledger.balances import open_items_as_of, open_items_on_days
from arms.ledger.models import Allocation, Invoice
from tests.analytics.test_recovery import _generated_ledger
from tests.ledger.test_open_items_as_of import _book

pytestmark = pytest.mark.clock("2026-11-30")


def test_opening_and_closing_in_one_pass_are_the_two_separate_reads(db, company, today):
    _book(today)
    first = min(Allocation.objects.values_list("date", flat=True))
    pairs = [(today - timedelta(days=n + length), today - timedelta(days=n))
             for n in (0, 10, 40, 63, 120) for length in (1, 30, 91)]
    pairs += [(first - timedelta(days=1), today), (today, today + timedelta(days=5)), (today, today)]
    usd = Customer.objects.filter(currency="USD")
    compared = 0
    for opening_day, closing_day in pairs:
        for customers in (None, usd):
            separate = [kpis.receivables_split(opening_day, customers), kpis.receivables_split(closing_day, customers)]
            assert kpis.receivables_splits((opening_day, closing_day), customers) == separate, (opening_day,
                                                                                                 closing_day)
            compared += bool(separate[0]["total"] and separate[1]["total"] and separate[0] != separate[1])
            _assert_one_pass_dunning(opening_day + timedelta(days=1), closing_day, customers, grace=0)
        # item by item: each day's open amounts are those of open_items_as_of, 0 where not open that day
        combined = {row["number"]: row for row in open_items_on_days((opening_day, closing_day)).values(
            "number", "open_0", "open_base_0", "open_1", "open_base_1")}
        for i, day in enumerate((opening_day, closing_day)):
            expected = {row["number"]: (row["open_as_of"], row["open_base_as_of"])
                        for row in open_items_as_of(day).values("number", "open_as_of", "open_base_as_of")}
            assert {number: (row[f"open_{i}"], row[f"open_base_{i}"]) for number, row in combined.items()
                    if row[f"open_{i}"] > 0} == expected, day
            assert all(row[f"open_base_{i}"] == 0 for row in combined.values() if row[f"open_{i}"] <= 0)
    assert compared >= 10


def _assert_one_pass_dunning(start, end, customers, *, grace: int) -> RateParts:
    if end < start:
        return RateParts()
    dunning = dunning_parts(start=start, end=end, customers=customers, grace=grace).get(None, RateParts())
    separate = (kpis.receivables_split(start - timedelta(days=1), customers), kpis.receivables_split(end, customers),
                dunning)
    assert kpis.receivables_and_dunning(start, end, customers, grace=grace) == separate, (start, end, grace)
    return dunning


def test_dunning_in_the_same_pass_is_dunning_parts(db, company):
    _generated_ledger(seed=9)
    assert Dispute.objects.exists() and Customer.objects.filter(currency="USD").exists()
    usd = Customer.objects.filter(currency="USD")
    counted = 0
    for start, end, grace in [(date(2026, 7, 1), date(2026, 7, 31), 0), (date(2026, 8, 1), date(2026, 8, 31), 0),
                              (date(2026, 9, 1), date(2026, 9, 30), 0), (date(2026, 10, 1), date(2026, 10, 31), 0),
                              (date(2026, 9, 1), date(2026, 11, 30), 2), (date(2026, 8, 10), date(2026, 10, 9), 1),
                              (date(2026, 11, 1), date(2026, 11, 30), 0)]:
        for customers in (None, usd):
            dunning = _assert_one_pass_dunning(start, end, customers, grace=grace)
            counted += 0 < dunning.part < dunning.whole
    assert counted >= 3


def _settled_by_hand(start: date, end: date, customers) -> dict[str, date]:
    """The rule of ``kpis.settled_in_period`` worked out in Python from every allocation: an allocation dated in
    the period, and everything allocated up to its end equal to the gross amount; settled on the latest date up to
    the end."""
    invoices = Invoice.objects.all() if customers is None else Invoice.objects.filter(customer__in=customers)
    settled = {}
    for invoice in invoices:
        dated = [(row.date, row.amount_minor) for row in Allocation.objects.filter(invoice=invoice) if row.date <= end]
        if any(day >= start for day, _amount in dated) and sum(amount for _day, amount in dated) == invoice.gross_minor:
            settled[invoice.number] = max(day for day, _amount in dated)
    return settled


def test_settled_in_period_from_one_joined_table_is_the_rule_worked_by_hand(db, company, today):
    """``settled_in_period`` reads the allocations from the period's start on once, per invoice, in a joined
    table: the same invoices and dates as the rule worked out by hand, also for invoices settled in the period and
    opened again after it (a reversal or a bounced bill after the end), in CNY and USD."""
    _book(today)
    _generated_ledger(seed=9)
    usd = Customer.objects.filter(currency="USD")
    periods = [(today - timedelta(days=n + length), today - timedelta(days=n))
               for n in (0, 10, 40, 63, 120) for length in (0, 30, 91)]
    periods += [(date(2026, 7, 1), date(2026, 7, 31)), (date(2026, 9, 1), date(2026, 11, 30))]
    found = reopened = 0
    for start, end in periods:
        for customers in (None, usd):
            expected = _settled_by_hand(start, end, customers)
            got = dict(kpis.settled_in_period(start, end, customers).values_list("number", "settled_on"))
            assert got == expected, (start, end)
            found += len(got)
            reopened += Invoice.objects.filter(number__in=got, amount_open_minor__gt=0).count()
    assert found >= 20 and reopened >= 1
