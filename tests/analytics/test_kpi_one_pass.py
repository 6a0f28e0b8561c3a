"""The KPI set's combined reads against the separate ones they replace, on a book with back-dated allocations,
reversals, bounced bills, credit notes, a write-off and its recovery, in CNY and USD
(``tests.ledger.test_open_items_as_of._book``): the opening and closing receivables in one pass
(``kpis.receivables_splits`` over ``balances.open_items_on_days``) give, day pair by day pair, what two
``receivables_split`` reads give."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.analytics import kpis
from arms.customers.models import Customer
from arms.ledger.balances import open_items_as_of, open_items_on_days
from arms.ledger.models import Allocation
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
