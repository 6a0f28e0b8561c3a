"""The allowance for doubtful accounts (坏账准备): the provision matrix, individual assessment, the true-up and
loss rates computed from history (the simplified expected-credit-loss approach). Plain Python, no Django.

**Age.** An open item's age is its days past due on the as-of day (the aging report's due basis); an item not
yet due has an age of 0 or less and sits in the first band.

**Matrix.** Age bands with a rate each, in basis points (0..10000 = 0%..100%). The bands are contiguous and do
not overlap: the first starts at day 0 (and takes every item not yet due), each next one starts the day after
the previous one ends, and only the last is open-ended. A matrix may carry other rates for a group of customers
(by industry): the same bands, a rate each.

**Required allowance.** Per customer and band: the band's open amount (CNY fen) times its rate, rounded half up.
An individual assessment (单项计提) of a customer takes precedence over the matrix: either a rate applied to the
customer's whole open amount, or an amount (never more than what is open); the customer's figure is then split
over its bands in proportion to their open amounts by the largest remainder, so the parts add up to it.

**True-up.** required − booked (the customer's 1231 balance before the run): positive raises the allowance
(Dr 6702 信用减值损失 / Cr 1231 坏账准备), negative releases it (the reverse).

**Loss rates from history (roll rates).** From month-end snapshots of the open amounts in monthly age buckets
(bucket 0 = not yet past due, bucket k = k months past due, i.e. ages 30(k−1)+1 .. 30k, and the last bucket
everything older, treated as lost), the roll rate of bucket k is the share of it that is found one bucket older
a month later: Σ_t B[t+1][k+1] / Σ_t B[t][k] over consecutive month-ends, capped at 100%. The loss rate of
bucket k is the product of the roll rates from k up to the last bucket (whose loss rate is 100%). A configured
band is shown the loss rate of the buckets it covers, weighted by the amounts they held.

A refusal is a ``MatrixError`` with a stable code and its parameters; the edge says it in the user's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from arms.domain.money import divide_half_up, split_largest_remainder

FULL_RATE_BP = 10_000
MAX_BANDS = 20
MAX_BAND_DAYS = 36_500
#: roll-rate buckets are months past due; the history looks at 12 of them and counts older amounts as lost
ROLL_BUCKET_DAYS = 30
ROLL_BUCKETS = 14  # 0 = not yet past due, 1..12 = months past due, 13 = over 360 days (lost)


class MatrixError(ValueError):
    """A matrix that cannot be used: ``code``, ``field`` (``bands[2].rate_bp``) and ``params``."""

    EMPTY = "empty"
    TOO_MANY = "too_many"  # params: most
    NO_LABEL = "no_label"
    RATE = "rate"  # params: rate
    FIRST_START = "first_start"
    GAP = "gap"  # params: expected, low
    OVERLAP = "overlap"  # params: expected, low
    END_BEFORE_START = "end_before_start"
    OPEN_NOT_LAST = "open_not_last"
    LAST_CLOSED = "last_closed"
    DAYS = "days"  # params: most
    GROUP_RATES = "group_rates"  # params: group, bands

    _ENGLISH = {
        EMPTY: "a matrix needs at least one band",
        TOO_MANY: "at most {most} bands",
        NO_LABEL: "every band needs a label",
        RATE: "a rate is between 0 and 10000 basis points (0%..100%), not {rate}",
        FIRST_START: "the first band starts at day 0",
        GAP: "this band must start at day {expected}, not {low}: days in between would have no band",
        OVERLAP: "this band must start at day {expected}, not {low}: it overlaps the previous band",
        END_BEFORE_START: "a band ends on or after the day it starts",
        OPEN_NOT_LAST: "only the last band is open-ended",
        LAST_CLOSED: "the last band is open-ended (no end day)",
        DAYS: "days are whole numbers between 0 and {most}",
        GROUP_RATES: "group {group} needs one rate per band ({bands})",
    }

    def __init__(self, code: str, *, field: str, **params: object) -> None:
        self.code, self.field, self.params = code, field, params
        super().__init__(f"{field}: " + self._ENGLISH[code].format(**params))


@dataclass(frozen=True, slots=True)
class Band:
    label: str
    low: int
    high: int | None  # None: open-ended (the last band)
    rate_bp: int


@dataclass(frozen=True, slots=True)
class Matrix:
    bands: tuple[Band, ...]
    #: other rates for a group of customers (an industry code): one rate per band, in band order
    group_rates: Mapping[str, tuple[int, ...]]

    def rates_for(self, group: str | None) -> tuple[int, ...]:
        if group and group in self.group_rates:
            return self.group_rates[group]
        return tuple(band.rate_bp for band in self.bands)

    def band_index(self, age: int) -> int:
        for index, band in enumerate(self.bands):
            if band.high is None or age <= band.high:
                return index
        return len(self.bands) - 1  # not reached: the last band is open-ended


def _rate(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= FULL_RATE_BP:
        raise MatrixError(MatrixError.RATE, field=field, rate=value)
    return value


def _days(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_BAND_DAYS:
        raise MatrixError(MatrixError.DAYS, field=field, most=MAX_BAND_DAYS)
    return value


def matrix_check(bands: Sequence[Mapping[str, object]],
                 group_rates: Mapping[str, Sequence[object]] | None = None) -> Matrix:
    """A ``Matrix`` from plain data (``[{"label", "low", "high", "rate_bp"}]``), or the first ``MatrixError``."""
    if not bands:
        raise MatrixError(MatrixError.EMPTY, field="bands")
    if len(bands) > MAX_BANDS:
        raise MatrixError(MatrixError.TOO_MANY, field="bands", most=MAX_BANDS)
    made: list[Band] = []
    expected = 0
    for index, raw in enumerate(bands):
        field = f"bands[{index}]"
        label = str(raw.get("label") or "").strip()
        if not label:
            raise MatrixError(MatrixError.NO_LABEL, field=f"{field}.label")
        low = _days(raw.get("low"), f"{field}.low")
        if index == 0 and low != 0:
            raise MatrixError(MatrixError.FIRST_START, field=f"{field}.low")
        if low > expected:
            raise MatrixError(MatrixError.GAP, field=f"{field}.low", expected=expected, low=low)
        if low < expected:
            raise MatrixError(MatrixError.OVERLAP, field=f"{field}.low", expected=expected, low=low)
        raw_high = raw.get("high")
        last = index == len(bands) - 1
        if raw_high is None:
            if not last:
                raise MatrixError(MatrixError.OPEN_NOT_LAST, field=f"{field}.high")
            high = None
        else:
            if last:
                raise MatrixError(MatrixError.LAST_CLOSED, field=f"{field}.high")
            high = _days(raw_high, f"{field}.high")
            if high < low:
                raise MatrixError(MatrixError.END_BEFORE_START, field=f"{field}.high")
            expected = high + 1
        made.append(Band(label=label, low=low, high=high, rate_bp=_rate(raw.get("rate_bp"), f"{field}.rate_bp")))
    groups: dict[str, tuple[int, ...]] = {}
    for group, rates in sorted((group_rates or {}).items()):
        field = f"group_rates.{group}"
        if isinstance(rates, str | bytes) or len(rates) != len(made):
            raise MatrixError(MatrixError.GROUP_RATES, field=field, group=group, bands=len(made))
        groups[str(group)] = tuple(_rate(rate, f"{field}[{i}]") for i, rate in enumerate(rates))
    return Matrix(bands=tuple(made), group_rates=groups)


def matrix_as_data(matrix: Matrix) -> dict[str, object]:
    """The inverse of ``matrix_check``: what a version stores."""
    return {
        "bands": [{"label": b.label, "low": b.low, "high": b.high, "rate_bp": b.rate_bp} for b in matrix.bands],
        "group_rates": {group: list(rates) for group, rates in matrix.group_rates.items()},
    }


def rate_part(amount: int, rate_bp: int) -> int:
    """``amount × rate_bp / 10000`` rounded half up (ties away from zero)."""
    return divide_half_up(amount * rate_bp, FULL_RATE_BP)


class Basis:
    """How a customer's required allowance was set."""

    MATRIX = "matrix"
    INDIVIDUAL_RATE = "individual_rate"
    INDIVIDUAL_AMOUNT = "individual_amount"


@dataclass(frozen=True, slots=True)
class Assessment:
    """An individual assessment: exactly one of ``rate_bp`` and ``amount`` (CNY fen)."""

    rate_bp: int | None = None
    amount: int | None = None

    def __post_init__(self) -> None:
        if (self.rate_bp is None) == (self.amount is None):
            raise ValueError("an assessment has a rate or an amount, not both")


@dataclass(frozen=True, slots=True)
class Required:
    basis: str
    open_by_band: tuple[int, ...]
    rate_by_band: tuple[int, ...]  # the rate applied per band (an individual rate repeats; an amount: 0s)
    required_by_band: tuple[int, ...]

    @property
    def open_total(self) -> int:
        return sum(self.open_by_band)

    @property
    def required(self) -> int:
        return sum(self.required_by_band)


def required_allowance(open_by_band: Sequence[int], *, matrix: Matrix, group: str | None = None,
                       assessment: Assessment | None = None) -> Required:
    """The allowance a customer with ``open_by_band`` (CNY fen per band, none negative) requires."""
    opens = tuple(int(x) for x in open_by_band)
    if len(opens) != len(matrix.bands) or any(x < 0 for x in opens):
        raise ValueError("one non-negative open amount per band")
    total = sum(opens)
    if assessment is None:
        rates = matrix.rates_for(group)
        return Required(Basis.MATRIX, opens, rates, tuple(rate_part(x, r) for x, r in zip(opens, rates, strict=True)))
    if assessment.rate_bp is not None:
        whole, basis, rates = rate_part(total, assessment.rate_bp), Basis.INDIVIDUAL_RATE, \
            (assessment.rate_bp,) * len(opens)
    else:
        whole, basis, rates = min(int(assessment.amount or 0), total), Basis.INDIVIDUAL_AMOUNT, (0,) * len(opens)
    parts = tuple(split_largest_remainder(whole, list(opens))) if total > 0 else (0,) * len(opens)
    return Required(basis, opens, rates, parts)


def true_up(*, required: int, booked: int) -> int:
    """What the run posts: positive raises the allowance (Dr 6702 / Cr 1231), negative releases it."""
    return required - booked


# --- loss rates from history ------------------------------------------------------------------------------------

def roll_bucket(age: int, buckets: int = ROLL_BUCKETS) -> int:
    """The monthly bucket of an age in days past due (0: not yet past due; the last takes every older age)."""
    if age <= 0:
        return 0
    return min((age - 1) // ROLL_BUCKET_DAYS + 1, buckets - 1)


def roll_bucket_start(index: int) -> int:
    """The first age (days past due) of a monthly bucket (bucket 0 starts at 0 and holds items not yet due)."""
    return 0 if index == 0 else ROLL_BUCKET_DAYS * (index - 1) + 1


@dataclass(frozen=True, slots=True)
class LossRates:
    roll_bp: tuple[int | None, ...]  # per bucket but the last: None when the bucket never held anything
    loss_bp: tuple[int, ...]  # per bucket
    weight: tuple[int, ...]  # Σ over the snapshots of what each bucket held (CNY fen)
    periods: int  # how many month-to-month steps the rates come from


def _bp(value: Fraction) -> int:
    return int((value * FULL_RATE_BP + Fraction(1, 2)).__floor__())


def roll_rates(snapshots: Sequence[Sequence[int]]) -> LossRates:
    """Roll and loss rates from month-end snapshots (oldest first), each the open amount per monthly bucket.

    A bucket that never held anything rolls at 100% (no evidence of cure: the cautious reading)."""
    if not snapshots:
        raise ValueError("at least one snapshot")
    size = len(snapshots[0])
    if size < 2 or any(len(s) != size for s in snapshots):
        raise ValueError("every snapshot has the same number (at least two) of buckets")
    rolls: list[Fraction] = []
    shown: list[int | None] = []
    for k in range(size - 1):
        before = sum(snapshots[t][k] for t in range(len(snapshots) - 1))
        after = sum(snapshots[t + 1][k + 1] for t in range(len(snapshots) - 1))
        if before <= 0:
            rolls.append(Fraction(1))
            shown.append(None)
        else:
            rate = min(Fraction(after, before), Fraction(1))
            rolls.append(rate)
            shown.append(_bp(rate))
    loss = [Fraction(1)] * size
    for k in range(size - 2, -1, -1):
        loss[k] = rolls[k] * loss[k + 1]
    weight = tuple(sum(s[k] for s in snapshots) for k in range(size))
    return LossRates(tuple(shown), tuple(_bp(x) for x in loss), weight, len(snapshots) - 1)


def band_loss_rates(matrix: Matrix, rates: LossRates) -> list[int]:
    """For each band of ``matrix``, the historical loss rate of the monthly buckets it covers (by their first
    day), weighted by what they held; a band that covers no bucket start takes the bucket its first day is in."""
    result = []
    for band in matrix.bands:
        covered = [k for k in range(len(rates.loss_bp))
                   if band.low <= roll_bucket_start(k) and (band.high is None or roll_bucket_start(k) <= band.high)]
        if not covered:
            covered = [roll_bucket(band.low, len(rates.loss_bp))]
        weights = [rates.weight[k] for k in covered]
        if sum(weights) > 0:
            value = Fraction(sum(rates.loss_bp[k] * w for k, w in zip(covered, weights, strict=True)), sum(weights))
        else:
            value = Fraction(sum(rates.loss_bp[k] for k in covered), len(covered))
        result.append(int((value + Fraction(1, 2)).__floor__()))
    return result


def snapshot_from_ages(items: Iterable[tuple[int, int]], buckets: int = ROLL_BUCKETS) -> list[int]:
    """A snapshot (open amount per monthly bucket) from ``(age, open amount)`` pairs: the oracle of the SQL."""
    result = [0] * buckets
    for age, amount in items:
        result[roll_bucket(age, buckets)] += amount
    return result


# --- the matrices ARMS ships (examples to adjust: docs/provisioning.md) ----------------------------------------

#: the seeds' stepped matrix: not yet due or up to 1 month past due, 1–6 months, 6–12 months, over 1 year
SEED_BANDS: list[dict[str, object]] = [
    {"label": "未逾期及1个月以内", "low": 0, "high": 30, "rate_bp": 100},
    {"label": "1-6个月", "low": 31, "high": 180, "rate_bp": 500},
    {"label": "6-12个月", "low": 181, "high": 365, "rate_bp": 3000},
    {"label": "1年以上", "low": 366, "high": None, "rate_bp": 10000},
]

#: the common 账龄分析法 table
AGING_METHOD_BANDS: list[dict[str, object]] = [
    {"label": "1年以内", "low": 0, "high": 365, "rate_bp": 500},
    {"label": "1-2年", "low": 366, "high": 730, "rate_bp": 1000},
    {"label": "2-3年", "low": 731, "high": 1095, "rate_bp": 3000},
    {"label": "3-4年", "low": 1096, "high": 1460, "rate_bp": 5000},
    {"label": "4-5年", "low": 1461, "high": 1825, "rate_bp": 8000},
    {"label": "5年以上", "low": 1826, "high": None, "rate_bp": 10000},
]
