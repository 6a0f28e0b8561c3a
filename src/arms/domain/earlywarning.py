"""Early warning (预警): which readings cross an indicator's threshold, what a crossing raises and closes, and how
a reading is written down.

- An **indicator** watches one **metric** over a scope with a **threshold** and, where the metric needs one, a
  **window**. Every metric is oriented so that larger is worse (days overdue, a ratio, a rise in days, a drop in
  volume as a positive share, a count of broken promises), so a reading **crosses** when ``value >= threshold``
  and **recovers** when it is below again. A reading with no value (no sales in the period, no history) neither
  crosses nor keeps a warning open.
- A metric is read either **per customer** (one reading per customer in the scope: days overdue of the oldest
  item, a customer's days late rising ...) or **for the scope** as a whole (the overdue ratio of a salesperson's
  customers, concentration ...). A reading's ``subject`` is ``"customer:<id>"`` or ``"scope"``.
- **One warning per crossing**: a subject that crosses and has no open warning raises one; one that crosses and
  has one raises nothing (evaluating every day does not warn every day); an open warning whose subject no
  longer crosses closes. Crossing again later raises a new warning (``transitions``).
- **Thresholds are typed by the metric's unit** (``Unit``): whole days, basis points (1% = 100 bp) for ratios
  and shares, CNY fen for money, a count. Anything else (a float, a text, a bool) is refused with its reason
  (``ThresholdError``), so the edge can name the field.

Plain Python: no Django, no language. A refusal is a code; the edge says it in the reader's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from arms.domain.money import BASE_CURRENCY, format_money

SCOPE_SUBJECT = "scope"


class Unit(StrEnum):
    DAYS = "days"
    BP = "bp"
    MONEY = "money"
    COUNT = "count"


class SubjectKind(StrEnum):
    CUSTOMER = "customer"
    SCOPE = "scope"


class WindowUnit(StrEnum):
    NONE = "none"
    DAYS = "days"
    MONTHS = "months"


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """What a metric reads: its unit, whether per customer, its window and sensible defaults."""

    code: str
    unit: Unit
    subject: SubjectKind
    window_unit: WindowUnit
    default_threshold: int
    default_window: int | None
    threshold_min: int
    threshold_max: int
    window_min: int = 1
    window_max: int = 0


_D, _B, _M, _C = Unit.DAYS, Unit.BP, Unit.MONEY, Unit.COUNT
_CU, _SC = SubjectKind.CUSTOMER, SubjectKind.SCOPE
_NONE, _DAYS, _MONTHS = WindowUnit.NONE, WindowUnit.DAYS, WindowUnit.MONTHS
MAX_MONEY = 10**15

#: every metric an indicator may watch, by its stable code
METRICS: dict[str, MetricSpec] = {spec.code: spec for spec in (
    # days overdue of the customer's oldest open item
    MetricSpec("oldest_overdue_days", _D, _CU, _NONE, 90, None, 1, 3650),
    # the customer's overdue amount (CNY)
    MetricSpec("overdue_amount", _M, _CU, _NONE, 1_000_000_00, None, 1, MAX_MONEY),
    # overdue / open receivables of the scope (analytics' overdue_ratio)
    MetricSpec("overdue_ratio", _B, _SC, _NONE, 3000, None, 1, 10000),
    # analytics' bad_debt_ratio over the trailing window of months
    MetricSpec("bad_debt_ratio", _B, _SC, _MONTHS, 200, 12, 1, 10000, 1, 36),
    # analytics' DSO of the last month less the DSO of the month ``window`` months before
    MetricSpec("dso_rise", _D, _SC, _MONTHS, 10, 3, 1, 3650, 1, 24),
    # the customer's average days late of the window less that of the window before it
    MetricSpec("days_late_rising", _D, _CU, _DAYS, 10, 90, 1, 3650, 7, 730),
    # drop of the customer's invoicing in the window against its own trailing year (same length), as a share
    MetricSpec("volume_drop", _B, _CU, _DAYS, 5000, 90, 1, 10000, 7, 365),
    # exposure / credit limit of the customer
    MetricSpec("credit_utilisation", _B, _CU, _NONE, 9000, None, 1, 100000),
    # promises to pay broken in the window
    MetricSpec("broken_promises", _C, _CU, _DAYS, 2, 90, 1, 10000, 1, 730),
    # the largest customer's share of the scope's receivables
    MetricSpec("concentration_largest", _B, _SC, _NONE, 2000, None, 1, 10000),
    # the ten largest customers' share of the scope's receivables
    MetricSpec("concentration_top10", _B, _SC, _NONE, 6000, None, 1, 10000),
    # adverse external facts on the credit file: 失信被执行人, 经营异常, open lawsuits (0-3)
    MetricSpec("external_facts", _C, _CU, _NONE, 1, None, 1, 3),
    # balance confirmations sent more than ``window`` days ago and not answered
    MetricSpec("confirmations_unanswered", _C, _CU, _DAYS, 1, 30, 1, 10000, 1, 365),
)}


class ThresholdError(StrEnum):
    NOT_WHOLE = "not_whole"  # not an integer of the metric's unit (a float, a text, a bool)
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"


class WindowError(StrEnum):
    NOT_WHOLE = "not_whole"
    NOT_USED = "not_used"  # the metric has no window
    OUT_OF_RANGE = "out_of_range"


def is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def threshold_error(metric: str, value: object) -> ThresholdError | None:
    """Why ``value`` is not a threshold of ``metric`` (whole units within its bounds), or None."""
    spec = METRICS[metric]
    if not is_whole(value):
        return ThresholdError.NOT_WHOLE
    assert isinstance(value, int)
    if value < spec.threshold_min:
        return ThresholdError.TOO_SMALL
    if value > spec.threshold_max:
        return ThresholdError.TOO_LARGE
    return None


def window_error(metric: str, value: object) -> WindowError | None:
    """Why ``value`` is not a window of ``metric`` (None for a metric without one; whole units in range)."""
    spec = METRICS[metric]
    if spec.window_unit is WindowUnit.NONE:
        return None if value is None else WindowError.NOT_USED
    if not is_whole(value):
        return WindowError.NOT_WHOLE
    assert isinstance(value, int)
    if not spec.window_min <= value <= spec.window_max:
        return WindowError.OUT_OF_RANGE
    return None


@dataclass(frozen=True, slots=True)
class Reading:
    """One subject's value of a metric, with the inputs it was computed from (JSON-ready integers and texts)."""

    subject: str
    customer_id: int | None
    value: int | None
    inputs: dict[str, int | str | None] = field(default_factory=dict)


def customer_subject(customer_id: int) -> str:
    return f"customer:{customer_id}"


def crossed(value: int | None, threshold: int) -> bool:
    """Larger is worse: a reading crosses at the threshold; no value never crosses."""
    return value is not None and value >= threshold


@dataclass(frozen=True, slots=True)
class Transitions:
    raise_: list[Reading]  # crossing, no open warning: raise one
    close: list[str]  # an open warning whose subject no longer crosses: close it
    keep: list[Reading]  # crossing with an open warning: nothing new


def transitions(readings: Iterable[Reading], *, threshold: int, open_subjects: Iterable[str]) -> Transitions:
    """What an evaluation does: raise for new crossings, close recovered ones, keep the rest (ordered by subject
    so the effects are repeatable)."""
    opened = set(open_subjects)
    crossing = {r.subject: r for r in readings if crossed(r.value, threshold)}
    return Transitions(
        raise_=[crossing[s] for s in sorted(crossing) if s not in opened],
        close=sorted(opened - crossing.keys()),
        keep=[crossing[s] for s in sorted(crossing) if s in opened],
    )


def format_value(unit: Unit | str, value: int | None) -> str:
    """A reading or threshold written for people, without words: "45" days, "12.50%", "1,234.56 CNY", "3"."""
    if value is None:
        return "—"
    if unit == Unit.BP:
        return f"{(Decimal(value) / 100).quantize(Decimal('0.01'))}%"
    if unit == Unit.MONEY:
        return format_money(value, BASE_CURRENCY)
    return str(value)


def share_bp(part: int, whole: int) -> int | None:
    """``part / whole`` in basis points, rounded half up; None when the whole is not positive."""
    if whole <= 0:
        return None
    return (part * 10000 * 2 + whole) // (whole * 2)


def rise(recent: int | None, earlier: int | None) -> int | None:
    """How much ``recent`` exceeds ``earlier`` (negative when it fell); None when either is unknown."""
    if recent is None or earlier is None:
        return None
    return recent - earlier


def drop_bp(recent: int, baseline: int) -> int | None:
    """How far ``recent`` fell below ``baseline``, as a share of the baseline in basis points (0 when it rose);
    None without a baseline (a customer with no sales in its trailing year has nothing to drop from)."""
    if baseline <= 0:
        return None
    return max(0, share_bp(baseline - recent, baseline) or 0)


def readings_by_subject(readings: Iterable[Reading]) -> Mapping[str, Reading]:
    return {r.subject: r for r in readings}
