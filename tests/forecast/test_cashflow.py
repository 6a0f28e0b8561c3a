"""The pure spread of an item over its predicted payment dates (arms.domain.cashflow)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from arms.domain.cashflow import bucket_index, month_buckets, spread_to_buckets, week_buckets

START = date(2026, 3, 4)  # a Wednesday


def test_weeks_start_on_the_monday_of_the_start_week_and_months_on_the_first():
    assert week_buckets(START, 3) == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert month_buckets(START, 3) == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    assert month_buckets(date(2026, 11, 30), 3) == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]


def test_a_certain_date_puts_the_whole_amount_in_its_bucket():
    starts = week_buckets(START, 4)
    day = date(2026, 3, 18)
    assert spread_to_buckets(12345, p10=day, p50=day, p90=day, bucket_starts=starts, end=date(2026, 3, 30)) == [
        0, 0, 12345, 0, 0]


def test_the_distribution_is_ten_forty_forty_ten():
    # one bucket per segment: p10-(p50-p10)..p10, p10..p50, p50..p90, p90..p90+(p90-p50), then beyond
    starts = [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23)]
    parts = spread_to_buckets(1000, p10=date(2026, 3, 9), p50=date(2026, 3, 16), p90=date(2026, 3, 23),
                              bucket_starts=starts, end=date(2026, 3, 30))
    assert parts == [100, 400, 400, 100, 0]


def test_what_falls_after_the_horizon_is_beyond():
    starts = week_buckets(START, 1)
    parts = spread_to_buckets(1000, p10=date(2026, 3, 2), p50=date(2026, 3, 9), p90=date(2026, 3, 16),
                              bucket_starts=starts, end=date(2026, 3, 9))
    assert parts == [500, 500]
    assert bucket_index(date(2026, 2, 1), starts, date(2026, 3, 9)) == 0
    assert bucket_index(date(2026, 3, 9), starts, date(2026, 3, 9)) == 1


dates = st.integers(min_value=0, max_value=400)


@given(amount=st.integers(min_value=-10**15, max_value=10**15), a=dates, b=dates, c=dates,
       weeks=st.integers(min_value=1, max_value=20))
def test_the_parts_always_sum_to_the_amount_and_follow_the_dates(amount, a, b, c, weeks):
    d10, d50, d90 = sorted((a, b, c))
    p10, p50, p90 = (START + timedelta(days=d) for d in (d10, d50, d90))
    starts = week_buckets(START, weeks)
    end = starts[-1] + timedelta(days=7)
    parts = spread_to_buckets(amount, p10=p10, p50=p50, p90=p90, bucket_starts=starts, end=end)
    assert len(parts) == weeks + 1
    assert sum(parts) == amount
    assert all(part * amount >= 0 for part in parts)  # never the wrong sign
    # nothing lands in a bucket that ends before the first possible day (min of p10 and the first bucket)
    tail_end = p90 + timedelta(days=max((p90 - p50).days, 1))
    for index, start in enumerate(starts):
        if start >= tail_end:
            assert parts[index] == 0
    # at least P50's share (half) lies on or before the bucket containing p50
    if amount > 0 and p50 < end:
        through = sum(parts[: bucket_index(p50, starts, end) + 1])
        assert through * 2 >= amount - weeks  # rounding of at most one minor unit per part
