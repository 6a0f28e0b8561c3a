"""Receivables KPI formulas (应收账款指标), on integer amounts (CNY fen) and whole days. Plain Python, no Django.

Each returns a ``Decimal`` rounded half up to two places, or ``None`` when the formula has no meaning (a
division by zero: no sales in the period, no receivables). The documentation with a worked example of each
is docs/analytics-kpis.md; the names here are the KPI codes the API returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def ratio(part: int, whole: int) -> Decimal | None:
    """part / whole, unrounded; None when whole is 0."""
    if not whole:
        return None
    return Decimal(part) / Decimal(whole)


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole × 100, two places; None when whole is 0."""
    value = ratio(part, whole)
    return None if value is None else _round(value * HUNDRED)


def average(total: int, count: int) -> Decimal | None:
    """total / count, two places; None when count is 0."""
    value = ratio(total, count)
    return None if value is None else _round(value)


def dso_standard(*, receivables: int, sales: int, days: int) -> Decimal | None:
    """Days sales outstanding: closing receivables / credit sales of the period × days in the period."""
    if sales <= 0 or days <= 0:
        return None
    return _round(Decimal(receivables) * days / Decimal(sales))


def best_possible_dso(*, current_receivables: int, sales: int, days: int) -> Decimal | None:
    """Best possible DSO: the receivables not yet due / credit sales × days (what DSO would be if nobody paid
    late)."""
    return dso_standard(receivables=current_receivables, sales=sales, days=days)


def average_days_delinquent(dso: Decimal | None, best: Decimal | None) -> Decimal | None:
    """ADD = DSO − best possible DSO: the days by which customers pay, on average, later than their terms."""
    if dso is None or best is None:
        return None
    return _round(dso - best)


@dataclass(frozen=True, slots=True)
class MonthSales:
    """One month (or the part of it in the period) of credit sales, newest first for the countback."""

    days: int
    sales: int


def dso_countback(*, receivables: int, months: Iterable[MonthSales]) -> Decimal | None:
    """Countback DSO: take the closing receivables and count back through the sales of the latest months,
    newest first: a month whose sales the receivables exceed counts all its days; the month that exhausts
    them counts its days in proportion. Receivables left after every month given count those months only."""
    if receivables <= 0:
        return Decimal("0.00") if receivables == 0 else None
    remaining = Decimal(receivables)
    days = Decimal(0)
    seen_sales = False
    for month in months:  # an iterable: the caller may fetch each month only when it is needed
        if month.sales <= 0:
            days += month.days
            continue
        seen_sales = True
        if remaining > month.sales:
            days += month.days
            remaining -= month.sales
        else:
            days += Decimal(month.days) * remaining / Decimal(month.sales)
            remaining = Decimal(0)
            break
    if remaining and not seen_sales:
        return None
    return _round(days)


def collection_effectiveness_index(*, opening: int, sales: int, closing: int, closing_current: int) -> Decimal | None:
    """CEI = (opening + sales − closing) / (opening + sales − closing not yet due) × 100: of what could have
    been collected in the period, the share that was."""
    collectable = opening + sales - closing_current
    if collectable <= 0:
        return None
    return _round(Decimal(opening + sales - closing) * HUNDRED / Decimal(collectable))


def receivables_turnover(*, sales: int, opening: int, closing: int) -> Decimal | None:
    """Credit sales of the period / average receivables ((opening + closing) / 2): times the book turned over
    in the period (not annualised)."""
    average = Decimal(opening + closing) / 2
    if average <= 0:
        return None
    return _round(Decimal(sales) / average)


def collection_rate(*, collections: int, opening: int, sales: int) -> Decimal | None:
    """回款率 = cash collected in the period / (opening receivables + credit sales of the period) × 100."""
    return percent(collections, opening + sales)


def weighted_score(components: dict[str, Decimal | None], weights: dict[str, int]) -> Decimal | None:
    """Σ component × weight / Σ weights over the components that have a value (each component 0-100).
    None when no weighted component has a value."""
    total_weight = 0
    total = Decimal(0)
    for name, weight in weights.items():
        value = components.get(name)
        if value is None or weight <= 0:
            continue
        total += Decimal(value) * weight
        total_weight += weight
    if not total_weight:
        return None
    return _round(total / total_weight)


def clamp_score(value: Decimal | None) -> Decimal | None:
    """A component score kept within 0-100."""
    if value is None:
        return None
    return _round(min(max(Decimal(value), Decimal(0)), HUNDRED))
