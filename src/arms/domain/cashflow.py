"""Cash-in over time: calendar buckets and an open item's amount spread over its predicted payment dates.

A forecast cuts the future into buckets: weeks starting on Monday (``week_buckets``) or calendar months starting on
the first (``month_buckets``). The first bucket is the one that contains the start day, so "week 1" is the current
week and "month 1" the current month.

An open item has a predicted payment distribution given by three dates, P10 <= P50 <= P90 (by P10 a tenth of such
items are paid, by P50 half, by P90 nine tenths). ``spread_to_buckets`` turns it into amounts per bucket with a
**piecewise uniform** density over days:

- 10% uniformly over the days up to P10, as many as P10 .. P50 (at least one) but none before the first bucket's
  start (on P10's own day when P10 is not later than that start: nobody pays in the past);
- 40% uniformly over the days P10 .. P50 (the day P10 alone when P10 == P50);
- 40% uniformly over the days P50 .. P90 (the day P50 alone when P50 == P90);
- 10% uniformly over the same number of days again after P90 as P50 .. P90 (at least one day).

Ranges are half-open (the first day counts, the last does not). A day before the first bucket falls into the first
bucket; a day on or after ``end`` (the first day beyond the horizon) falls into the "beyond" part. The parts are
integers that add up exactly to the amount (largest remainder on exact rational weights), so a forecast of a book
always sums to its open items.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache
from math import lcm

from arms.domain.money import split_largest_remainder

#: share of an item in each segment of its distribution, in percent (see the module docstring).
SEGMENT_SHARES = (10, 40, 40, 10)


def week_buckets(start: date, weeks: int) -> list[date]:
    """The Mondays starting ``weeks`` consecutive weeks, the first being the week that contains ``start``."""
    monday = start - timedelta(days=start.weekday())
    return [monday + timedelta(weeks=i) for i in range(weeks)]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def month_buckets(start: date, months: int) -> list[date]:
    """The first days of ``months`` consecutive calendar months, the first being the month that contains ``start``."""
    first = start.replace(day=1)
    return [_add_months(first, i) for i in range(months)]


def next_bucket_start(bucket_start: date, granularity: str) -> date:
    """The day after the bucket that starts on ``bucket_start`` ends ("week" or "month")."""
    if granularity == "week":
        return bucket_start + timedelta(weeks=1)
    return _add_months(bucket_start, 1)


def segments(*, first: date, p10: date, p50: date, p90: date) -> list[tuple[date, date, int]]:
    """The four half-open day ranges of the distribution with their share in percent (module docstring)."""
    one = timedelta(days=1)
    lower_start = max(first, p10 - timedelta(days=max((p50 - p10).days, 1)))
    lower = (lower_start, p10) if p10 > lower_start else (p10, p10 + one)
    upper_len = max((p90 - p50).days, 1)
    return [
        (*lower, SEGMENT_SHARES[0]),
        ((p10, p50) if p50 > p10 else (p10, p10 + one)) + (SEGMENT_SHARES[1],),
        ((p50, p90) if p90 > p50 else (p50, p50 + one)) + (SEGMENT_SHARES[2],),
        (p90, p90 + timedelta(days=upper_len), SEGMENT_SHARES[3]),
    ]


@lru_cache(maxsize=65536)
def _weights(p10: date, p50: date, p90: date, bucket_starts: tuple[date, ...], end: date) -> tuple[int, ...]:
    """Integer weights per part (buckets, then beyond) proportional to the distribution's mass in each: a
    segment's share times the days of it in the part, over the segment's length, all on one common denominator
    (exact integers, no rounding)."""
    count = len(bucket_starts)
    lows = [date.min, *bucket_starts[1:], end]  # part i covers [lows[i], highs[i]); days before the first go in it
    highs = [*bucket_starts[1:], end, date.max]
    pieces = segments(first=bucket_starts[0], p10=p10, p50=p50, p90=p90)
    common = lcm(*((seg_end - seg_start).days for seg_start, seg_end, _share in pieces))
    mass = [0] * (count + 1)
    for seg_start, seg_end, share in pieces:
        per_day = share * (common // (seg_end - seg_start).days)
        for index in range(count + 1):
            if highs[index] <= seg_start or lows[index] >= seg_end:
                continue
            overlap = (min(seg_end, highs[index]) - max(seg_start, lows[index])).days
            mass[index] += per_day * overlap
    return tuple(mass)


def spread_to_buckets(amount_minor: int, *, p10: date, p50: date, p90: date, bucket_starts: Sequence[date],
                      end: date) -> list[int]:
    """``amount_minor`` spread over the item's payment distribution: ``len(bucket_starts) + 1`` parts (the last is
    beyond ``end``, the first day after the horizon), summing exactly to ``amount_minor``.

    >>> spread_to_buckets(1000, p10=date(2026, 1, 5), p50=date(2026, 1, 5), p90=date(2026, 1, 5),
    ...                   bucket_starts=[date(2026, 1, 5), date(2026, 1, 12)], end=date(2026, 1, 19))
    [1000, 0, 0]
    """
    if not bucket_starts:
        raise ValueError("at least one bucket")
    if not p10 <= p50 <= p90:
        raise ValueError("p10 <= p50 <= p90")
    if end <= bucket_starts[-1]:
        raise ValueError("end after the last bucket start")
    if amount_minor == 0:
        return [0] * (len(bucket_starts) + 1)
    weights = _weights(p10, p50, p90, tuple(bucket_starts), end)
    if amount_minor < 0:
        return [-part for part in split_largest_remainder(-amount_minor, list(weights))]
    return split_largest_remainder(amount_minor, list(weights))


def bucket_index(day: date, bucket_starts: Sequence[date], end: date) -> int:
    """The part a single day falls into: 0 for days up to the first bucket's end, ``len(bucket_starts)`` beyond
    ``end`` (for amounts due on a known date, such as a promise or an installment)."""
    if day >= end:
        return len(bucket_starts)
    return max(bisect_right(list(bucket_starts), day) - 1, 0)
