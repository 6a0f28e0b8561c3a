"""KPIs computed by hand on the fixture of conftest.py (amounts in CNY fen; USD at the documents' rates)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import islice

import pytest

from arms.analytics.kpis import KpiScope, kpi_trend, kpi_values
from arms.common.errors import ValidationFailed
from tests.analytics.conftest import ON_BOOK_DAY

pytestmark = ON_BOOK_DAY

FEB_TO_APR = {"start": date(2026, 2, 1), "end": date(2026, 4, 30)}  # 89 days


def _values(**kw):
    return {code: kpi.value for code, kpi in kpi_values(**kw).items()}


def test_company_kpis_for_february_to_april(book):
    v = _values(**FEB_TO_APR)
    # opening (31 Jan): A1 113,000.00 + B1 USD 1,130.00 at 7.10 = 8,023.00
    assert v["receivables_opening"] == 121_023_00
    # closing (30 Apr): A1 21,700.00 (the bill bounces only in May) + A2 56,500.00 (its allocation undone)
    # + B1 USD 630.00 = 8,023.00 - 3,550.00 relieved by USD 500.00
    assert v["receivables_closing"] == 82_673_00
    assert v["receivables_current"] == 0
    assert v["receivables_overdue"] == 82_673_00
    assert v["credit_sales"] == 56_500_00
    # RCV-1 50,000 + RCV-2 56,500 + RCV-3 30,000 + RCV-4 USD 500.00 at 7.20 = 3,600.00
    assert v["collections"] == 140_100_00
    assert v["dso"] == Decimal("130.23")  # 82,673 × 89 / 56,500 = 130.228...
    # countback: April (30 days, no sales), March (31, none), February (28, 56,500; 26,173 left),
    # January 26,173 / 121,023 × 31 = 6.704: 95.70
    assert v["dso_countback"] == Decimal("95.70")
    assert v["best_possible_dso"] == Decimal("0.00")
    assert v["add"] == Decimal("130.23")
    assert v["cei"] == Decimal("53.43")  # (121,023 + 56,500 - 82,673) / (121,023 + 56,500 - 0)
    assert v["overdue_ratio"] == Decimal("100.00")
    assert v["at_risk_share"] == Decimal("0.00")
    assert v["over_365_share"] == Decimal("0.00")
    assert v["receivables_turnover"] == Decimal("0.55")  # 56,500 / ((121,023 + 82,673) / 2)
    assert v["collection_rate"] == Decimal("78.92")  # 140,100 / (121,023 + 56,500)
    # A2 was settled on 20 March but re-opened on 10 April: nothing stayed settled
    assert v["settled_count"] == 0
    assert v["on_time_rate"] is None
    assert v["average_days_late"] is None


def test_march_settles_a2_three_days_late(book):
    v = _values(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert (v["settled_count"], v["on_time_rate"], v["average_days_late"]) == (1, Decimal("0.00"), Decimal("3.00"))
    assert v["credit_sales"] == 0
    assert v["dso"] is None  # no sales: no DSO
    assert v["receivables_closing"] == 51_700_00 + 4_473_00


def test_may_collections_are_net_of_the_bounced_bill(book):
    v = _values(start=date(2026, 5, 1), end=date(2026, 5, 31))
    assert v["collections"] == -30_000_00


def test_a_salesperson_scope_and_a_sales_viewer(book):
    mine = _values(**FEB_TO_APR, scope=KpiScope(salesperson_id=book["sam"].pk))
    assert (mine["receivables_opening"], mine["receivables_closing"], mine["collections"]) == (
        113_000_00, 78_200_00, 136_500_00)
    seen_by_sam = _values(**FEB_TO_APR, scope=KpiScope(user=book["sam"]))
    assert seen_by_sam == mine
    nothing = _values(**FEB_TO_APR, scope=KpiScope(user=book["sam"], salesperson_id=book["sally"].pk))
    assert nothing["receivables_closing"] == 0


def test_customer_scope(book):
    v = _values(**FEB_TO_APR, scope=KpiScope(customer_id=book["b"].pk))
    assert (v["receivables_opening"], v["receivables_closing"], v["credit_sales"]) == (8_023_00, 4_473_00, 0)


def test_monthly_trend(book):
    trend = kpi_trend(months=3, end_month=date(2026, 4, 15), codes=["receivables_closing", "credit_sales"])
    assert [(row["month"], row["receivables_closing"], row["credit_sales"]) for row in trend] == [
        (date(2026, 2, 1), 63_000_00 + 56_500_00 + 8_023_00, 56_500_00),
        (date(2026, 3, 1), 51_700_00 + 4_473_00, 0),
        (date(2026, 4, 1), 82_673_00, 0),
    ]


def test_bad_periods_are_refused(book):
    with pytest.raises(ValidationFailed) as exc:
        kpi_values(start=date(2026, 3, 1), end=date(2026, 2, 1))
    assert exc.value.field == "start"
    with pytest.raises(ValidationFailed) as exc:
        kpi_trend(months=0, end_month=date(2026, 3, 1))
    assert exc.value.field == "months"


def test_the_countback_reads_older_months_only_as_far_as_it_reaches(db):
    """``monthly_sales`` reads three months, then as many more as it has read (3, 6, 12) only when the countback
    goes on: each month's sales are its own invoices' whichever read brought them, and a countback that stops in
    its fifth month makes two queries, not four."""
    from arms.analytics.kpis import COUNTBACK_MONTHS, countback_first_read, monthly_sales
    from arms.domain.terms import month_end, month_start
    from tests import factories
    from tests.queries import count_queries

    customer = factories.customer()
    end = date(2026, 10, 20)
    firsts = [month_start(end)]
    while len(firsts) < COUNTBACK_MONTHS + 2:  # two months older than the countback looks: never read
        firsts.append(month_start(firsts[-1] - timedelta(days=1)))
    for n, first in enumerate(firsts):  # on each month's first and last days: a read a day off gets one wrong
        factories.invoice(customer, net=(n + 1) * 1_000, tax=0, issued=first)
        factories.invoice(customer, net=(n + 1) * 10, tax=0, issued=min(month_end(first), end))
    factories.invoice(customer, net=777, tax=0, issued=end + timedelta(days=1))  # after the end: not counted

    every: list = []
    queries, _sql = count_queries(lambda: every.extend(monthly_sales(end, None)))
    assert [m.sales for m in every] == [(n + 1) * 1_010 for n in range(COUNTBACK_MONTHS)]
    assert [m.days for m in every] == [20] + [(month_end(first) - first).days + 1 for first in firsts[1:24]]
    assert queries == 4  # months 1-3, 4-6, 7-12, 13-24

    five: list = []
    queries, _sql = count_queries(lambda: five.extend(islice(monthly_sales(end, None), 5)))
    assert [m.sales for m in five] == [1_010, 2_020, 3_030, 4_040, 5_050]
    assert queries == 2

    first_read = countback_first_read(end, None)
    again: list = []
    queries, _sql = count_queries(lambda: again.extend(monthly_sales(end, None, first_read=first_read)))
    assert again == every
    assert queries == 3
