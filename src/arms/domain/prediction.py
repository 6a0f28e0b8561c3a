"""Payment-date prediction arithmetic, pure Python (no Django): quantiles of days late, the predicted dates of an
open item, and the error measures of a backtest.

Days late is ``payment date - due date`` in calendar days (negative when paid early). A prediction is three
quantiles of it (P10, P50, P90); the predicted dates are ``due date + days late``, never before the day the
prediction is made (an item still open on ``as_of`` cannot be paid before it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
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
