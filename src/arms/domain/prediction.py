"""Payment-date prediction arithmetic, pure Python (no Django): quantiles of days late, the predicted dates of an
open item, and the error measures of a backtest.

Days late is ``payment date - due date`` in calendar days (negative when paid early). A prediction is three
quantiles of it (P10, P50, P90); the predicted dates are ``due date + days late``, never before the day the
prediction is made (an item still open on ``as_of`` cannot be paid before it).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

QUANTILES = (0.1, 0.5, 0.9)


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of already sorted values, linear between the closest ranks; 0 for no values."""
    if not sorted_values:
        return 0.0
    if len(sorted_values) == 1:
        return float(sorted_values[0])
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    return float(sorted_values[low]) + (float(sorted_values[high]) - float(sorted_values[low])) * fraction


def history_quantiles(days_late: Sequence[int]) -> tuple[int, int, int]:
    """P10, P50 (median), P90 of a customer's past days late, rounded to whole days, in order."""
    values = sorted(days_late)
    p10, p50, p90 = (round(quantile(values, q)) for q in QUANTILES)
    p50 = max(p10, p50)
    return p10, p50, max(p50, p90)


def predicted_dates(*, due_date: date, as_of: date, p10_days: float, p50_days: float,
                    p90_days: float) -> tuple[date, date, date]:
    """The P10/P50/P90 payment dates of an item open on ``as_of`` from days late quantiles: ordered, none before
    ``as_of``."""
    low, mid, high = sorted((round(p10_days), round(p50_days), round(p90_days)))
    dates = [max(as_of, due_date + timedelta(days=days)) for days in (low, mid, high)]
    return dates[0], dates[1], dates[2]


def mean_absolute_error(errors: Sequence[int]) -> float:
    """Mean of |error| in days; 0.0 for no errors."""
    return sum(abs(error) for error in errors) / len(errors) if errors else 0.0


def share_within(errors: Sequence[int], days: int = 7) -> float:
    """Share (0..1) of errors within ±``days`` days; 0.0 for no errors."""
    return sum(1 for error in errors if abs(error) <= days) / len(errors) if errors else 0.0


# --- features: what was known about an invoice on a day, and nothing later --------------------------------------
#
# A row of the model is one invoice seen on a *reference* day: its issue date when the model learns (and in the
# backtest), the day of the prediction for an open item. Every customer fact is counted only if it is dated before
# the reference day (a settlement, a dispute, a promise): a feature never peeks at what happened afterwards.

#: the features, in the order of a row
FEATURES = (
    "past_settled",            # the customer's invoices settled before the day
    "mean_days_late",          # their mean days late (0 without history)
    "median_days_late",        # the median of the last HISTORY_DEPTH
    "last3_days_late",         # the mean of the last three
    "trend_days_late",         # last three minus the mean: positive when the customer is slowing down
    "log_amount",              # log(1 + amount in CNY yuan)
    "terms_days",              # due date − issue date
    "grade",                   # credit grade A..D as 1..4, 0 when unrated
    "disputed",                # 1 when a dispute on the invoice was raised before the day
    "customer_disputes_year",  # the customer's disputes raised in the year before the day
    "promises_year",           # promises to pay the customer made in the year before the day
    "issue_month",             # 1..12
    "due_weekday",             # 0 (Monday) .. 6
)
HISTORY_DEPTH = 12
GRADES = {"A": 1, "B": 2, "C": 3, "D": 4}


@dataclass(frozen=True, slots=True)
class Item:
    """An invoice as the model sees it: amount in CNY fen, settlement date when it was settled."""

    key: int
    customer: str | int
    issue_date: date
    due_date: date
    amount_base_minor: int
    settled_on: date | None = None
    grade: int = 0
    disputed_on: date | None = None

    @property
    def days_late(self) -> int | None:
        return None if self.settled_on is None else (self.settled_on - self.due_date).days


@dataclass
class History:
    """One customer's dated facts, each list sorted: settlements (date, days late), disputes, promises."""

    settled: list[tuple[date, int]] = field(default_factory=list)
    disputes: list[date] = field(default_factory=list)
    promises: list[date] = field(default_factory=list)
    sums: list[int] = field(default_factory=list, repr=False)

    def finish(self) -> History:
        """Sort the facts and prepare the running sums; call once after the last fact is added."""
        self.settled.sort()
        self.disputes.sort()
        self.promises.sort()
        total, self.sums = 0, [0]
        for _day, late in self.settled:
            total += late
            self.sums.append(total)
        return self

    def known(self, reference: date) -> int:
        """How many settlements were known before ``reference``."""
        return bisect_left(self.settled, (reference, -(10**9)))

    def mean_before(self, reference: date) -> float | None:
        n = self.known(reference)
        return self.sums[n] / n if n else None


def histories(items: Iterable[Item], *, disputes: Iterable[tuple[str | int, date]] = (),
              promises: Iterable[tuple[str | int, date]] = ()) -> dict[str | int, History]:
    """Every customer's history from its settled items and its dated disputes and promises."""
    result: dict[str | int, History] = defaultdict(History)
    for item in items:
        if item.settled_on is not None:
            result[item.customer].settled.append((item.settled_on, item.days_late or 0))
    for customer, day in disputes:
        result[customer].disputes.append(day)
    for customer, day in promises:
        result[customer].promises.append(day)
    return {customer: history.finish() for customer, history in result.items()}


def _count_between(days: list[date], start: date, end: date) -> int:
    return bisect_left(days, end) - bisect_left(days, start)


def features(item: Item, history: History | None, *, reference: date) -> list[float]:
    """The row of ``item`` on ``reference``, in the order of :data:`FEATURES`; only facts dated before it."""
    history = history or History()
    n = history.known(reference)
    recent = [late for _day, late in history.settled[max(0, n - HISTORY_DEPTH):n]]
    mean = history.sums[n] / n if n else 0.0
    median = quantile(sorted(recent), 0.5) if recent else 0.0
    last3 = sum(recent[-3:]) / len(recent[-3:]) if recent else 0.0
    year_ago = reference - timedelta(days=365)
    disputed = 1.0 if item.disputed_on is not None and item.disputed_on < reference else 0.0
    return [
        float(n), mean, median, last3, last3 - mean,
        math.log1p(max(item.amount_base_minor, 0) / 100),
        float((item.due_date - item.issue_date).days),
        float(item.grade), disputed,
        float(_count_between(history.disputes, year_ago, reference)),
        float(_count_between(history.promises, year_ago, reference)),
        float(item.issue_date.month), float(item.due_date.weekday()),
    ]


# --- the backtest's comparison -----------------------------------------------------------------------------------

METHODS = ("model", "customer_average", "due_date")


@dataclass(frozen=True, slots=True)
class MethodScore:
    method: str
    mae_days: float
    within_7: float  # share 0..1

    def as_dict(self) -> dict[str, float | str]:
        return {"method": self.method, "mae_days": round(self.mae_days, 2), "within_7": round(self.within_7, 4)}


def score(method: str, errors: Sequence[int]) -> MethodScore:
    return MethodScore(method, mean_absolute_error(errors), share_within(errors))
