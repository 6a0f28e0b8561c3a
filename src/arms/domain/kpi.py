"""Receivables KPI formulas (应收账款指标), on integer amounts (CNY fen) and whole days. Plain Python, no Django.

Each returns a ``Decimal`` rounded half up to two places, or ``None`` when the formula has no meaning (a
division by zero: no sales in the period, no receivables). A KPI derived from others is computed from their
unrounded values and rounded once (ADD). The documentation with a worked example of each is
docs/analytics-kpis.md; the names here are the KPI codes the API returns.

The two collection KPIs the targets are set on, 回收率 (``recovery_rate``) and 催收成功率
(``dunning_success_rate``), are defined here item by item (``FallingDue``, ``OverdueAtStart``); the database
computes the same per-item parts and sums them (``arms.analytics.recovery``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from arms.domain.workdays import IsWorkday, add_working_days, chinese_is_workday

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


def average_days_delinquent(*, receivables: int, current_receivables: int, sales: int,
                             days: int) -> Decimal | None:
    """ADD = DSO − best possible DSO: the days by which customers pay, on average, later than their terms.

    Computed from the unrounded figures, (receivables − not yet due) / sales × days, and rounded once: the
    difference of the two rounded DSOs can be 0.01 off (10.005 − 5.004 = 5.001 is 5.00, but 10.01 − 5.00 is
    5.01)."""
    return dso_standard(receivables=receivables - current_receivables, sales=sales, days=days)


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


#: the seeds' target band of the bad-debt ratio (坏账率 1%–3%): at or below the top is within target
BAD_DEBT_TARGET_LOW = Decimal(1)
BAD_DEBT_TARGET_HIGH = Decimal(3)
#: the team score's bad-debt component loses this many points per percent of bad debts (3% → 70, 10% → 0)
BAD_DEBT_SCORE_POINTS_PER_PERCENT = 10


def bad_debt_ratio(*, written_off: int, recovered: int, sales: int) -> Decimal | None:
    """坏账率 = (bad debts written off in the period − recovered in the period of bad-debt write-offs) / credit
    sales of the period × 100. A recovery counts in the period the money came back, whenever the write-off was
    (so a period can be negative: more recovered than written off). None without sales."""
    if sales <= 0:
        return None
    return percent(written_off - recovered, sales)


def bad_debt_band(ratio: Decimal | None) -> str | None:
    """"within" the seeds' target (at most 3%; below 1% is within too: nothing is flagged for being low) or
    "above" it; None without a ratio."""
    if ratio is None:
        return None
    return "within" if ratio <= BAD_DEBT_TARGET_HIGH else "above"


def bad_debt_score(ratio: Decimal | None) -> Decimal | None:
    """The team score's bad-debt component: 100 − 10 points per percent of bad debts, within 0-100."""
    if ratio is None:
        return None
    return clamp_score(HUNDRED - ratio * BAD_DEBT_SCORE_POINTS_PER_PERCENT)


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


# ---------------------------------------------------------------------------------------------------------------
# 回收率 and 催收成功率


def collection_deadline(due: date, *, grace_days: int = 0, is_workday: IsWorkday = chinese_is_workday) -> date:
    """The last day a payment still counts as made by the due date.

    The due date itself, moved to the next working day when it is a weekend or public holiday (民法典 第二百零三条:
    a period whose last day is a statutory holiday ends on the day after the holiday), then ``grace_days``
    Chinese working days more. Due on Sunday 4 October 2026 (National Day holiday, 1-7 October): 8 October
    with no grace, 9 October with one day.
    """
    if grace_days < 0:
        raise ValueError("grace_days must not be negative")
    day = due
    while not is_workday(day):
        day += timedelta(days=1)
    return add_working_days(day, grace_days, is_workday=is_workday)


def due_dates_with_deadline_in(start: date, end: date, *, grace_days: int = 0,
                               is_workday: IsWorkday = chinese_is_workday) -> tuple[date, date] | None:
    """The first and last due date whose collection deadline lies in ``start``..``end``, or None.

    The deadline never moves back as the due date moves forward, so these due dates are one run of days: each
    item belongs to exactly one period, the one its deadline falls in, and a period's figure is complete at its
    end. With no grace and no holiday at the edges they are the period's own days.
    """
    first = first_due_date_for(start, grace_days=grace_days, is_workday=is_workday)
    last = end
    while last >= first and collection_deadline(last, grace_days=grace_days, is_workday=is_workday) > end:
        last -= timedelta(days=1)
    return (first, last) if last >= first else None


def first_due_date_for(day: date, *, grace_days: int = 0, is_workday: IsWorkday = chinese_is_workday) -> date:
    """The earliest due date whose collection deadline is ``day`` or later: an item due before it is past its
    deadline at the start of ``day`` (overdue, for 催收成功率)."""
    first = day
    while collection_deadline(first - timedelta(days=1), grace_days=grace_days, is_workday=is_workday) >= day:
        first -= timedelta(days=1)
    return first


def moved_deadlines(first: date, last: date, *, grace_days: int = 0,
                    is_workday: IsWorkday = chinese_is_workday) -> dict[date, date]:
    """{due date: deadline} for the due dates in ``first``..``last`` whose deadline is not the due date itself
    (what the database needs to know besides the due date)."""
    result = {}
    day = first
    while day <= last:
        deadline = collection_deadline(day, grace_days=grace_days, is_workday=is_workday)
        if deadline != day:
            result[day] = deadline
        day += timedelta(days=1)
    return result


@dataclass(frozen=True, slots=True)
class FallingDue:
    """One invoice whose collection deadline lies in the period, as it stood at the close of the deadline
    (CNY fen).

    ``credited``: credit notes allocated to it on or before the deadline; ``collected``: payments allocated to
    it on or before the deadline, less reversals dated by then; ``disputed``: the amount of its disputes open
    on the deadline.
    """

    gross: int
    credited: int = 0
    collected: int = 0
    disputed: int = 0

    @property
    def amount_due(self) -> int:
        """What fell due: the gross less credit notes (a credit note corrects the invoice; it is not cash)."""
        return max(self.gross - self.credited, 0)

    @property
    def collected_part(self) -> int:
        return min(max(self.collected, 0), self.amount_due)

    @property
    def disputed_part(self) -> int:
        """The disputed amount, as far as it was still unpaid on the deadline."""
        return min(max(self.disputed, 0), self.amount_due - self.collected_part)

    @property
    def expected(self) -> int:
        """What the customer should have paid by the deadline: what fell due, less the unpaid disputed part."""
        return self.amount_due - self.disputed_part


def recovery_rate(items: Iterable[FallingDue]) -> Decimal | None:
    """回收率 = Σ collected by the deadline / Σ expected by the deadline × 100, over the items whose deadline lies
    in the period; 0-100; None when nothing fell due."""
    collected = expected = 0
    for item in items:
        collected += item.collected_part
        expected += item.expected
    return percent(collected, expected)


@dataclass(frozen=True, slots=True)
class OverdueAtStart:
    """One invoice open at the start of the period and past its collection deadline then (CNY fen).

    ``open``: open at the close of the day before the period; ``disputed``: its disputes open that day;
    ``credited``: credit notes allocated to it in the period; ``collected``: payments allocated to it in the
    period, less reversals dated in it.
    """

    open: int
    disputed: int = 0
    credited: int = 0
    collected: int = 0

    @property
    def base(self) -> int:
        """The overdue amount to collect: open, less the disputed part, less credit notes of the period. A credit
        note is taken to settle the disputed part first (that is how a dispute usually ends), so only what it
        credits beyond the disputed part reduces the undisputed amount."""
        return max(self.open - max(self.disputed, self.credited, 0), 0)

    @property
    def recovered(self) -> int:
        """Cash of the period on the item, up to the base: paying a disputed or credited part as well is not
        counted twice."""
        return min(max(self.collected, 0), self.base)


def dunning_success_rate(items: Iterable[OverdueAtStart]) -> Decimal | None:
    """催收成功率 = Σ recovered / Σ base × 100 over the items overdue at the start of the period; 0-100; None
    when nothing was overdue."""
    recovered = base = 0
    for item in items:
        recovered += item.recovered
        base += item.base
    return percent(recovered, base)
