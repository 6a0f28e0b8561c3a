"""The pure rules: aging buckets and KPI formulas (no database)."""

from __future__ import annotations

from dataclasses import replace
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
    add = kpi.average_days_delinquent(receivables=300_000, current_receivables=200_000, sales=900_000, days=90)
    assert (dso, best, add) == (Decimal("30.00"), Decimal("20.00"), Decimal("10.00"))
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


def test_add_is_computed_from_the_unrounded_dsos():
    """DSO 10.005 rounds to 10.01 and best possible DSO 5.004 to 5.00; ADD is 5.001 = 5.00, not 10.01 − 5.00."""
    dso = kpi.dso_standard(receivables=10_005, sales=1_000, days=1)
    best = kpi.best_possible_dso(current_receivables=5_004, sales=1_000, days=1)
    assert (dso, best, dso - best) == (Decimal("10.01"), Decimal("5.00"), Decimal("5.01"))
    assert kpi.average_days_delinquent(receivables=10_005, current_receivables=5_004, sales=1_000,
                                       days=1) == Decimal("5.00")
    assert kpi.average_days_delinquent(receivables=1, current_receivables=0, sales=0, days=30) is None


@settings(deadline=None)
@given(receivables=st.integers(min_value=0, max_value=10**12), share=st.integers(min_value=0, max_value=100),
       sales=st.integers(min_value=1, max_value=10**12), days=st.integers(min_value=1, max_value=1096))
def test_add_is_never_more_than_a_rounding_step_from_the_rounded_difference(receivables, share, sales, days):
    current = receivables * share // 100
    exact = Decimal(receivables - current) * days / Decimal(sales)
    add = kpi.average_days_delinquent(receivables=receivables, current_receivables=current, sales=sales, days=days)
    assert abs(add - exact) <= Decimal("0.005")


# ---------------------------------------------------------------------------------------- 回收率, 催收成功率

#: the worked example of docs/analytics-kpis.md (CNY fen), item by item
FALLING_DUE_OCTOBER = {
    "R1": kpi.FallingDue(gross=100_000_00, collected=100_000_00),
    "R2": kpi.FallingDue(gross=50_000_00, collected=20_000_00),
    "R3": kpi.FallingDue(gross=30_000_00, credited=5_000_00, collected=15_000_00, disputed=10_000_00),
    "R4": kpi.FallingDue(gross=7_100_00, collected=3_550_00),
}
OVERDUE_AT_START_OCTOBER = {
    "O1": kpi.OverdueAtStart(open=80_000_00, collected=50_000_00),
    "O2": kpi.OverdueAtStart(open=30_000_00, disputed=12_000_00, credited=12_000_00, collected=18_000_00),
    "O3": kpi.OverdueAtStart(open=25_000_00, credited=5_000_00),
    "O4": kpi.OverdueAtStart(open=14_200_00, collected=14_200_00),
}


def test_the_worked_example_item_by_item():
    parts = {code: (i.amount_due, i.collected_part, i.disputed_part, i.expected)
             for code, i in FALLING_DUE_OCTOBER.items()}
    assert parts == {"R1": (100_000_00, 100_000_00, 0, 100_000_00), "R2": (50_000_00, 20_000_00, 0, 50_000_00),
                     "R3": (25_000_00, 15_000_00, 10_000_00, 15_000_00), "R4": (7_100_00, 3_550_00, 0, 7_100_00)}
    assert kpi.recovery_rate(FALLING_DUE_OCTOBER.values()) == Decimal("80.51")  # 138,550.00 / 172,100.00
    bases = {code: (i.base, i.recovered) for code, i in OVERDUE_AT_START_OCTOBER.items()}
    assert bases == {"O1": (80_000_00, 50_000_00), "O2": (18_000_00, 18_000_00), "O3": (20_000_00, 0),
                     "O4": (14_200_00, 14_200_00)}
    assert kpi.dunning_success_rate(OVERDUE_AT_START_OCTOBER.values()) == Decimal("62.18")  # 82,200 / 132,200
    assert kpi.recovery_rate([]) is None and kpi.dunning_success_rate([]) is None


def test_a_credit_note_settles_the_disputed_part_first():
    # 100 open, 30 disputed; a credit note of 40 settles the 30 and 10 of the rest: 60 left to collect
    assert kpi.OverdueAtStart(open=100, disputed=30, credited=40, collected=100).base == 60
    # a credit note of 20 falls within the disputed 30: the undisputed 70 is still to collect
    assert kpi.OverdueAtStart(open=100, disputed=30, credited=20, collected=50).base == 70
    # a bounced payment in the period (negative net collection) recovers nothing, not less than nothing
    assert kpi.OverdueAtStart(open=100, collected=-30).recovered == 0
    # a disputed amount the customer paid anyway is not kept out of 回收率
    assert kpi.FallingDue(gross=100, collected=100, disputed=40).expected == 100


def test_the_collection_deadline_moves_past_weekends_and_holidays():
    assert kpi.collection_deadline(date(2026, 10, 4)) == date(2026, 10, 8)  # National Day, 1-7 October
    assert kpi.collection_deadline(date(2026, 10, 4), grace_days=1) == date(2026, 10, 9)
    assert kpi.collection_deadline(date(2026, 10, 10)) == date(2026, 10, 10)  # a make-up working Saturday
    assert kpi.collection_deadline(date(2026, 10, 31)) == date(2026, 11, 2)  # Saturday: Monday, in November
    assert kpi.collection_deadline(date(2026, 10, 15), grace_days=2) == date(2026, 10, 19)  # over a weekend
    assert kpi.due_dates_with_deadline_in(date(2026, 10, 1), date(2026, 10, 31)) == (date(2026, 10, 1),
                                                                                     date(2026, 10, 30))
    assert kpi.due_dates_with_deadline_in(date(2026, 10, 3), date(2026, 10, 3)) is None  # a holiday
    assert kpi.first_due_date_for(date(2026, 10, 8)) == date(2026, 10, 1)  # 1-7 October are due on the 8th
    with pytest.raises(ValueError):
        kpi.collection_deadline(date(2026, 10, 4), grace_days=-1)


@settings(deadline=None)
@given(start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
       length=st.integers(min_value=0, max_value=70), grace=st.integers(min_value=0, max_value=5))
def test_each_due_date_belongs_to_the_one_period_its_deadline_falls_in(start, length, grace):
    end = start + timedelta(days=length)
    window = kpi.due_dates_with_deadline_in(start, end, grace_days=grace)

    def deadline(day):
        return kpi.collection_deadline(day, grace_days=grace)

    if window is None:
        assert all(not start <= deadline(start + timedelta(days=n)) <= end for n in range(length + 1))
        return
    first, last = window
    assert start <= deadline(first) and deadline(last) <= end
    assert deadline(first - timedelta(days=1)) < start and deadline(last + timedelta(days=1)) > end
    assert first == kpi.first_due_date_for(start, grace_days=grace)
    moved = kpi.moved_deadlines(first, last, grace_days=grace)
    assert all(deadline(day) == moved.get(day, day) for day in (first, last))


falling_due = st.builds(
    kpi.FallingDue, gross=st.integers(min_value=1, max_value=10**10),
    credited=st.integers(min_value=0, max_value=10**10), collected=st.integers(min_value=-10**10, max_value=10**10),
    disputed=st.integers(min_value=0, max_value=10**10))
overdue_at_start = st.builds(
    kpi.OverdueAtStart, open=st.integers(min_value=1, max_value=10**10),
    disputed=st.integers(min_value=0, max_value=10**10), credited=st.integers(min_value=-10**9, max_value=10**10),
    collected=st.integers(min_value=-10**10, max_value=10**10))


@settings(deadline=None)
@given(items=st.lists(falling_due, max_size=8), index=st.integers(min_value=0, max_value=7),
       more=st.integers(min_value=1, max_value=10**10))
def test_recovery_rate_is_0_to_100_and_rises_with_collections(items, index, more):
    rate = kpi.recovery_rate(items)
    for item in items:
        assert 0 <= item.collected_part <= item.expected <= item.amount_due
    if rate is None:
        return
    assert Decimal(0) <= rate <= Decimal(100)
    i = index % len(items)
    paid_more = [*items[:i], replace(items[i], collected=items[i].collected + more), *items[i + 1:]]
    assert kpi.recovery_rate(paid_more) >= rate


@settings(deadline=None)
@given(items=st.lists(overdue_at_start, max_size=8), index=st.integers(min_value=0, max_value=7),
       more=st.integers(min_value=1, max_value=10**10))
def test_dunning_success_rate_is_0_to_100_and_rises_with_collections(items, index, more):
    rate = kpi.dunning_success_rate(items)
    for item in items:
        assert 0 <= item.recovered <= item.base <= item.open
    if rate is None:
        return
    assert Decimal(0) <= rate <= Decimal(100)
    i = index % len(items)
    paid_more = [*items[:i], replace(items[i], collected=items[i].collected + more), *items[i + 1:]]
    assert kpi.dunning_success_rate(paid_more) >= rate
