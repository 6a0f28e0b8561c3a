"""Aging buckets (账龄区间): how many days an open item is past due (or old), and which bucket holds it.

Plain Python, no Django. A bucket set is given by its upper bounds in days, e.g. ``(30, 60, 90, 180, 365, 730)``:

- by **due date** the age is the days past due on the as-of day; an item not yet due (age <= 0) sits in the
  first bucket, "not yet due", then 1-30, 31-60, ..., 366-730, and "over 730" takes the rest;
- by **invoice date** the age is the days since the invoice was issued (never negative): 0-30, 31-60, ...,
  and the last bucket takes the rest.

Buckets are closed ranges of whole days ``[low, high]`` (``high`` None = open-ended, ``low`` None = anything
at or below ``high``). ``cutoff_dates`` turns them into dates, so a database can bucket rows with a
``CASE WHEN due_date >= d0 ...`` on an indexed date column instead of date arithmetic, which SQLite and
PostgreSQL do differently.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

#: 未到期, 1-30, 31-60, 61-90, 91-180, 181-365, 1-2 年, 2 年以上
DEFAULT_BOUNDS: tuple[int, ...] = (30, 60, 90, 180, 365, 730)
MAX_BUCKET_DAYS = 36_500
MAX_BOUNDS = 20


class AgingBasis(StrEnum):
    DUE = "due"
    INVOICE = "invoice"


class BucketError(ValueError):
    """Bucket bounds that cannot make a bucket set: a stable ``code`` and its ``params``, which the edge puts in the
    user's words (``arms.analytics.aging.resolve_buckets``); ``str()`` is an English sentence for logs and tests."""

    NOT_LIST = "not_list"  # params: text
    EMPTY = "empty"
    TOO_MANY = "too_many"  # params: most
    NOT_WHOLE = "not_whole"
    OUT_OF_RANGE = "out_of_range"  # params: most
    NOT_RISING = "not_rising"

    _ENGLISH = {
        NOT_LIST: "'{text}' is not a list of whole days like 30,60,90",
        EMPTY: "give at least one bucket bound",
        TOO_MANY: "at most {most} bucket bounds",
        NOT_WHOLE: "bucket bounds are whole days",
        OUT_OF_RANGE: "bucket bounds must be between 1 and {most} days",
        NOT_RISING: "bucket bounds must rise: 30,60,90",
    }

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(self._ENGLISH[code].format(**params))


@dataclass(frozen=True, slots=True)
class Bucket:
    key: str
    low: int | None
    high: int | None

    def holds(self, age: int) -> bool:
        return (self.low is None or age >= self.low) and (self.high is None or age <= self.high)


def parse_bounds(text: str | None) -> tuple[int, ...]:
    """"30,60,90" -> (30, 60, 90); empty -> the default. Bounds must be whole days, rising, 1..36500."""
    if text is None or not str(text).strip():
        return DEFAULT_BOUNDS
    try:
        bounds = tuple(int(part) for part in str(text).replace("，", ",").split(",") if part.strip())
    except ValueError:
        raise BucketError(BucketError.NOT_LIST, text=text) from None
    return check_bounds(bounds)


def check_bounds(bounds: Iterable[int]) -> tuple[int, ...]:
    checked = tuple(bounds)
    if not checked:
        raise BucketError(BucketError.EMPTY)
    if len(checked) > MAX_BOUNDS:
        raise BucketError(BucketError.TOO_MANY, most=MAX_BOUNDS)
    for value in checked:
        if isinstance(value, bool) or not isinstance(value, int):
            raise BucketError(BucketError.NOT_WHOLE)
        if not 1 <= value <= MAX_BUCKET_DAYS:
            raise BucketError(BucketError.OUT_OF_RANGE, most=MAX_BUCKET_DAYS)
    if any(b <= a for a, b in itertools.pairwise(checked)):
        raise BucketError(BucketError.NOT_RISING)
    return checked


def buckets(bounds: Iterable[int] = DEFAULT_BOUNDS, basis: AgingBasis | str = AgingBasis.DUE) -> list[Bucket]:
    """The buckets for ``bounds``; keys are stable strings ("current", "1-30", ..., "731+")."""
    bounds = check_bounds(bounds)
    basis = AgingBasis(basis)
    result: list[Bucket] = []
    if basis == AgingBasis.DUE:
        result.append(Bucket("current", None, 0))
        low = 1
    else:
        low = 0
    for high in bounds:
        result.append(Bucket(f"{low}-{high}", low, high))
        low = high + 1
    result.append(Bucket(f"{low}+", low, None))
    return result


def age_in_days(*, as_of: date, due_date: date, issue_date: date, basis: AgingBasis | str = AgingBasis.DUE) -> int:
    """Days past due (negative while not yet due) by due date; days since issue by invoice date."""
    if AgingBasis(basis) == AgingBasis.DUE:
        return (as_of - due_date).days
    return (as_of - issue_date).days


def bucket_index(age: int, bucket_list: list[Bucket]) -> int:
    """Index of the bucket that holds ``age``; ages below the first bucket go to the first one."""
    for index, bucket in enumerate(bucket_list):
        if bucket.holds(age):
            return index
    return 0


def cutoff_dates(as_of: date, bucket_list: list[Bucket]) -> list[date | None]:
    """For each bucket but the last, the earliest reference date (due or issue date) it holds.

    A row with reference date ``d`` is in the first bucket ``i`` with ``d >= cutoffs[i]``, else in the last:
    age = as_of - d <= high  <=>  d >= as_of - high. ``None`` for a bucket that holds every later date
    (there is none but the last in practice).
    """
    result: list[date | None] = []
    for bucket in bucket_list[:-1]:
        if bucket.high is None:
            result.append(None)
        else:
            result.append(as_of - timedelta(days=bucket.high))
    return result


def bucket_of_date(reference: date, as_of: date, bucket_list: list[Bucket]) -> int:
    """The same choice as ``cutoff_dates`` makes in SQL, for one date (used to check the two agree)."""
    for index, cutoff in enumerate(cutoff_dates(as_of, bucket_list)):
        if cutoff is None or reference >= cutoff:
            return index
    return len(bucket_list) - 1
