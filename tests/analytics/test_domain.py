"""The pure rules: aging buckets and KPI formulas (no database)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arms.domain import aging, kpi


@pytest.fixture(autouse=True)
def _roles():
    """Plain Python: no database, so no roles to create (overrides tests/conftest.py)."""


@pytest.fixture(autouse=True)
def _english():
    """No translations needed (overrides tests/analytics/conftest.py)."""


def test_default_buckets_by_due_date():
    keys = [b.key for b in aging.buckets()]
    assert keys == ["current", "1-30", "31-60", "61-90", "91-180", "181-365", "366-730", "731+"]


def test_buckets_by_invoice_date_start_at_zero():
    assert [b.key for b in aging.buckets((30, 60), "invoice")] == ["0-30", "31-60", "61+"]


@pytest.mark.parametrize(("age", "index"), [(-5, 0), (0, 0), (1, 1), (30, 1), (31, 2), (90, 3), (91, 4),
                                            (365, 5), (366, 6), (730, 6), (731, 7), (5000, 7)])
def test_bucket_index_edges(age, index):
    assert aging.bucket_index(age, aging.buckets()) == index


@pytest.mark.parametrize("text", ["30,20", "0,30", "abc", "30,30", "40000"])
def test_bad_bounds_are_refused(text):
    with pytest.raises(aging.BucketError):
        aging.parse_bounds(text)


def test_bounds_parse_with_full_width_commas_and_default():
    assert aging.parse_bounds("30，60, 90") == (30, 60, 90)
    assert aging.parse_bounds("") == aging.DEFAULT_BOUNDS


@settings(deadline=None)
@given(
    due=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    offset=st.integers(min_value=-400, max_value=3000),
    bounds=st.lists(st.integers(min_value=1, max_value=2000), min_size=1, max_size=8, unique=True).map(sorted),
    basis=st.sampled_from(["due", "invoice"]),
)
def test_the_sql_cutoff_dates_bucket_exactly_like_the_ages(due, offset, bounds, basis):
    """What the database does with CASE WHEN date >= cutoff is what bucket_index does with the age."""
    as_of = due + timedelta(days=offset)
    bucket_list = aging.buckets(tuple(bounds), basis)
    if basis == "invoice" and offset < 0:
        return  # an invoice is aged only once issued
    age = aging.age_in_days(as_of=as_of, due_date=due, issue_date=due, basis=basis)
    assert aging.bucket_of_date(due, as_of, bucket_list) == aging.bucket_index(age, bucket_list)


def test_dso_best_possible_and_add():
    dso = kpi.dso_standard(receivables=300_000, sales=900_000, days=90)
    best = kpi.best_possible_dso(current_receivables=200_000, sales=900_000, days=90)
    assert (dso, best, kpi.average_days_delinquent(dso, best)) == (Decimal("30.00"), Decimal("20.00"),
                                                                    Decimal("10.00"))
    assert kpi.dso_standard(receivables=1, sales=0, days=30) is None


def test_countback_dso():
    months = [kpi.MonthSales(31, 100), kpi.MonthSales(30, 200), kpi.MonthSales(31, 400)]
    assert kpi.dso_countback(receivables=250, months=months) == Decimal("53.50")  # 31 + 30 × 150/200
    assert kpi.dso_countback(receivables=100, months=months) == Decimal("31.00")
    assert kpi.dso_countback(receivables=0, months=months) == Decimal("0.00")
    assert kpi.dso_countback(receivables=5, months=[kpi.MonthSales(30, 0)]) is None


def test_cei_turnover_collection_rate_and_percent():
    assert kpi.collection_effectiveness_index(opening=1000, sales=500, closing=600, closing_current=300) == \
        Decimal("75.00")  # (1000 + 500 - 600) / (1000 + 500 - 300)
    assert kpi.receivables_turnover(sales=1200, opening=500, closing=700) == Decimal("2.00")
    assert kpi.collection_rate(collections=900, opening=1000, sales=500) == Decimal("60.00")
    assert kpi.percent(1, 3) == Decimal("33.33")
    assert kpi.percent(1, 0) is None
    assert kpi.average(7, 2) == Decimal("3.50")


def test_weighted_score_skips_missing_components():
    weights = {"turnover": 40, "bad_debt": 30, "collection": 30}
    assert kpi.weighted_score({"turnover": Decimal(50), "bad_debt": Decimal(100), "collection": Decimal(80)},
                              weights) == Decimal("74.00")
    assert kpi.weighted_score({"turnover": None, "bad_debt": Decimal(100), "collection": Decimal(80)},
                              weights) == Decimal("90.00")
    assert kpi.weighted_score({}, weights) is None
    assert kpi.clamp_score(Decimal(140)) == Decimal("100.00")


@settings(deadline=None)
@given(receivables=st.integers(min_value=1, max_value=10**12),
       sales=st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=24))
def test_countback_never_counts_more_days_than_the_months_given(receivables, sales):
    months = [kpi.MonthSales(30, s) for s in sales]
    result = kpi.dso_countback(receivables=receivables, months=months)
    if any(sales):
        assert Decimal(0) <= result <= 30 * len(sales)
    else:
        assert result is None
