"""The explainable credit scorecard: weighted factors mapped to points by bands, a grade, hard overrides, a policy.

Pure Python (no Django). A scorecard is data (a dict, stored as JSON in a ``ScorecardVersion``)::

    {"groups": [{"key": "financial", "label": "Financial strength"}, ...],
     "factors": [{"key": "debt_ratio", "group": "financial", "weight": 10, "kind": "number",
                  "direction": "lower_better", "neutral": 50,
                  "bands": [{"max": "0.40", "points": 100}, {"min": "0.40", "max": "0.60", "points": 70}, ...]},
                 {"key": "industry", "kind": "category", "bands": [{"values": ["public", ...], "points": 100}, ...]},
                 {"key": "business_abnormal", "kind": "flag", "bands": [{"values": [false], "points": 100}, ...]}],
     "thresholds": {"A": 85, "B": 70, "C": 55},
     "overrides": [{"code": "dishonest_debtor", "input": "dishonest_debtor", "equals": true, "max_grade": "D"}]}

Rules:

- Each factor has a weight; the weights add up to 100. Its input falls into exactly one band, which gives
  0-100 points; its contribution is ``weight × points / 100``. The score is the sum, rounded half up: 0-100.
  Sums are kept in integer hundredths of a point (``weight × points``) so a score is exact on every machine.
- A number band holds ``min <= value < max`` (either end open); the bands of a number factor cover the whole line
  in ascending order without gaps, and their points follow the factor's direction (never better for a worse
  value), so the score is monotone in every factor.
- A factor without an input (or with a category value its bands do not list) scores its documented ``neutral``
  points and is reported as missing.
- Grade: the best grade whose threshold the score reaches, else D. A hard override that matches an input caps
  the grade (失信被执行人 → D; 经营异常 → at most C); the worst cap wins.
- ``evaluate(card, inputs)`` is a pure function of the definition and the inputs: a rating that stores both can
  be recomputed exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from itertools import pairwise
from typing import Any, TypeAlias

GRADES = ("A", "B", "C", "D")
KINDS = ("number", "category", "flag")
DIRECTIONS = ("higher_better", "lower_better", "")


#: An input as the evaluator compares it: a number, a flag or a category.
Value: TypeAlias = Decimal | bool | str


class ScorecardError(ValueError):
    """The scorecard definition is not valid (weights, bands, thresholds)."""


def worse_grade(a: str, b: str) -> str:
    return max(a, b, key=GRADES.index)


@dataclass(frozen=True)
class Band:
    points: int
    min: Decimal | None = None
    max: Decimal | None = None
    values: tuple[Value, ...] = ()

    def holds(self, value: Value) -> bool:
        if self.values:
            return value in self.values
        # a range band holds numbers: Factor.normalise gives a number factor's input as a Decimal
        assert not isinstance(value, str), value
        return (self.min is None or value >= self.min) and (self.max is None or value < self.max)

    def describe(self) -> str:
        if self.values:
            return ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in self.values)
        if self.min is None and self.max is None:
            return "any"
        if self.min is None:
            return f"< {self.max}"
        if self.max is None:
            return f">= {self.min}"
        return f"{self.min} – {self.max}"


@dataclass(frozen=True)
class Factor:
    key: str
    group: str
    weight: int
    kind: str
    bands: tuple[Band, ...]
    neutral: int
    direction: str = ""
    label: str = ""

    def normalise(self, value: object) -> Value | None:
        """The input as the evaluator compares it (Decimal / bool / str), or None when missing."""
        if value is None or value == "":
            return None
        if self.kind == "number":
            if isinstance(value, bool):
                raise ScorecardError(f"{self.key}: a number is expected, not {value!r}")
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                raise ScorecardError(f"{self.key}: {value!r} is not a number") from None
            if not number.is_finite():
                raise ScorecardError(f"{self.key}: {value!r} is not a finite number")
            return number
        if self.kind == "flag":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "1", "yes"):
                return True
            if text in ("false", "0", "no"):
                return False
            raise ScorecardError(f"{self.key}: {value!r} is not true or false")
        return str(value)

    def band_of(self, value: Value) -> int | None:
        for index, band in enumerate(self.bands):
            if band.holds(value):
                return index
        return None


@dataclass(frozen=True)
class Override:
    code: str
    input: str
    equals: object
    max_grade: str


@dataclass(frozen=True)
class Scorecard:
    factors: tuple[Factor, ...]
    thresholds: tuple[tuple[str, int], ...]  # best grade first: (("A", 85), ("B", 70), ("C", 55))
    overrides: tuple[Override, ...] = ()
    groups: tuple[tuple[str, str], ...] = ()

    def factor(self, key: str) -> Factor:
        for factor in self.factors:
            if factor.key == key:
                return factor
        raise KeyError(key)

    def grade_for(self, score: int) -> str:
        for grade, minimum in self.thresholds:
            if score >= minimum:
                return grade
        return "D"

    @property
    def input_keys(self) -> tuple[str, ...]:
        keys = [f.key for f in self.factors]
        keys += [o.input for o in self.overrides if o.input not in keys]
        return tuple(keys)


def _decimal_or_none(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ScorecardError(f"{value!r} is not a number") from None


def _band(raw: Mapping[str, Any], kind: str, key: str) -> Band:
    points = raw.get("points")
    if not isinstance(points, int) or isinstance(points, bool) or not 0 <= points <= 100:
        raise ScorecardError(f"{key}: band points must be an integer 0-100")
    if kind == "number":
        if "values" in raw:
            raise ScorecardError(f"{key}: a number band has min/max, not values")
        return Band(points=points, min=_decimal_or_none(raw.get("min")), max=_decimal_or_none(raw.get("max")))
    values = tuple(raw.get("values") or ())
    if not values:
        raise ScorecardError(f"{key}: a {kind} band lists its values")
    if kind == "flag" and any(not isinstance(v, bool) for v in values):
        raise ScorecardError(f"{key}: a flag band's values are true/false")
    return Band(points=points, values=values if kind == "flag" else tuple(str(v) for v in values))


def _check_number_bands(factor: Factor) -> None:
    bands = factor.bands
    if bands[0].min is not None or bands[-1].max is not None:
        raise ScorecardError(f"{factor.key}: the first band has no min and the last no max")
    for left, right in pairwise(bands):
        if left.max is None or right.min is None or left.max != right.min:
            raise ScorecardError(f"{factor.key}: bands must be ascending and adjacent ({left.max} / {right.min})")
        if right.max is not None and right.max <= right.min:
            raise ScorecardError(f"{factor.key}: a band is empty ({right.min} – {right.max})")
        if factor.direction == "higher_better" and right.points < left.points:
            raise ScorecardError(f"{factor.key}: higher is better, so points must not fall as the value rises")
        if factor.direction == "lower_better" and right.points > left.points:
            raise ScorecardError(f"{factor.key}: lower is better, so points must not rise as the value rises")


def scorecard_from_dict(data: Mapping[str, Any]) -> Scorecard:
    """Parse and validate a definition; raises ScorecardError naming what is wrong."""
    if not isinstance(data, Mapping):
        raise ScorecardError("a scorecard definition is an object")
    groups = tuple((str(g["key"]), str(g.get("label", g["key"]))) for g in data.get("groups", ()))
    group_keys = {g for g, _label in groups}
    factors = []
    seen = set()
    for raw in data.get("factors", ()):
        key = str(raw.get("key", ""))
        if not key or key in seen:
            raise ScorecardError(f"factor key {key!r} is missing or repeated")
        seen.add(key)
        kind = raw.get("kind", "number")
        if kind not in KINDS:
            raise ScorecardError(f"{key}: kind must be one of {KINDS}")
        direction = raw.get("direction", "")
        if direction not in DIRECTIONS:
            raise ScorecardError(f"{key}: direction must be one of {DIRECTIONS}")
        weight = raw.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or weight < 0:
            raise ScorecardError(f"{key}: weight must be a non-negative integer")
        neutral = raw.get("neutral", 50)
        if not isinstance(neutral, int) or isinstance(neutral, bool) or not 0 <= neutral <= 100:
            raise ScorecardError(f"{key}: neutral points must be an integer 0-100")
        group = str(raw.get("group", ""))
        if group_keys and group not in group_keys:
            raise ScorecardError(f"{key}: unknown group {group!r}")
        bands = tuple(_band(b, kind, key) for b in raw.get("bands", ()))
        if not bands:
            raise ScorecardError(f"{key}: at least one band")
        factor = Factor(key=key, group=group, weight=weight, kind=kind, bands=bands, neutral=neutral,
                        direction=direction, label=str(raw.get("label", key)))
        if kind == "number":
            _check_number_bands(factor)
        factors.append(factor)
    if not factors:
        raise ScorecardError("a scorecard has factors")
    if sum(f.weight for f in factors) != 100:
        raise ScorecardError(f"the weights add up to {sum(f.weight for f in factors)}, not 100")
    raw_thresholds = data.get("thresholds", {})
    thresholds = []
    for grade in GRADES[:-1]:
        minimum = raw_thresholds.get(grade)
        if not isinstance(minimum, int) or isinstance(minimum, bool) or not 0 <= minimum <= 100:
            raise ScorecardError(f"threshold of {grade} must be an integer 0-100")
        thresholds.append((grade, minimum))
    if not thresholds[0][1] > thresholds[1][1] > thresholds[2][1]:
        raise ScorecardError("thresholds must fall from A to C")
    overrides = []
    for raw in data.get("overrides", ()):
        if raw.get("max_grade") not in GRADES:
            raise ScorecardError(f"override {raw.get('code')!r}: max_grade must be A-D")
        overrides.append(Override(code=str(raw["code"]), input=str(raw["input"]), equals=raw.get("equals", True),
                                  max_grade=raw["max_grade"]))
    return Scorecard(factors=tuple(factors), thresholds=tuple(thresholds), overrides=tuple(overrides), groups=groups)


@dataclass(frozen=True)
class Contribution:
    key: str
    group: str
    weight: int
    input: str | None  # the normalised input as text; None when missing
    band: int | None  # index of the band; None when missing
    band_text: str
    points: int
    centi: int  # weight × points: hundredths of a score point

    @property
    def missing(self) -> bool:
        return self.band is None

    @property
    def value(self) -> Decimal:
        return Decimal(self.centi) / 100

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "group": self.group, "weight": self.weight, "input": self.input,
                "band": self.band, "band_text": self.band_text, "points": self.points, "centi": self.centi,
                "contribution": str(self.value), "missing": self.missing}


@dataclass(frozen=True)
class Result:
    score: int
    computed_grade: str
    grade: str
    contributions: tuple[Contribution, ...]
    missing: tuple[str, ...]
    overrides: tuple[str, ...]  # codes of the overrides that matched
    inputs: dict[str, object] = field(default_factory=dict)  # JSON-safe: what was evaluated

    def group_totals(self) -> dict[str, int]:
        """Per group, the sum of its contributions in hundredths of a point."""
        totals: dict[str, int] = {}
        for c in self.contributions:
            totals[c.group] = totals.get(c.group, 0) + c.centi
        return totals


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _override_matches(override: Override, value: object) -> bool:
    if value is None or value == "":
        return False
    if isinstance(override.equals, bool):
        if isinstance(value, bool):
            return value is override.equals
        return str(value).strip().lower() in (("true", "1", "yes") if override.equals else ("false", "0", "no"))
    return str(value) == str(override.equals)


def evaluate(card: Scorecard, inputs: Mapping[str, object]) -> Result:
    contributions = []
    missing = []
    stored: dict[str, object] = {}
    for factor in card.factors:
        value = factor.normalise(inputs.get(factor.key))
        band = None if value is None else factor.band_of(value)
        points = factor.neutral if band is None else factor.bands[band].points
        if band is None:  # no input, or a category the scorecard does not list: neutral, and said so
            missing.append(factor.key)
        stored[factor.key] = value if isinstance(value, bool) else _as_text(value)
        contributions.append(Contribution(
            key=factor.key, group=factor.group, weight=factor.weight, input=_as_text(value), band=band,
            band_text="" if band is None else factor.bands[band].describe(), points=points,
            centi=factor.weight * points,
        ))
    total_centi = sum(c.centi for c in contributions)
    score = (total_centi + 50) // 100
    computed = card.grade_for(score)
    grade = computed
    matched = []
    for override in card.overrides:
        given = inputs.get(override.input)
        if override.input not in stored:
            stored[override.input] = given if isinstance(given, bool) or given is None else str(given)
        if _override_matches(override, given):
            matched.append(override.code)
            grade = worse_grade(grade, override.max_grade)
    return Result(score=score, computed_grade=computed, grade=grade, contributions=tuple(contributions),
                  missing=tuple(missing), overrides=tuple(matched), inputs=stored)


# -- policy: what a grade earns ------------------------------------------------------------------------

LIMIT_KINDS = ("fixed", "revenue_pct", "avg_monthly_sales_multiple")


@dataclass(frozen=True)
class Policy:
    grade: str
    limit_kind: str = "fixed"
    limit_fixed_minor: int = 0  # the limit for "fixed"; the floor for the formulas
    limit_rate: Decimal = Decimal(0)  # percent of revenue, or the multiple of average monthly sales
    limit_cap_minor: int | None = None
    payment_terms_days: int = 30
    deposit_pct: Decimal = Decimal(0)
    guarantee_required: bool = False
    discount_pct: Decimal = Decimal(0)
    discount_days: int = 0
    prepayment_only: bool = False


@dataclass(frozen=True)
class LimitProposal:
    limit_minor: int
    formula_minor: int | None  # what the formula gave before rounding, floor and cap; None for fixed
    basis: dict[str, Any]


#: limits from a formula are rounded down to whole thousands of yuan
LIMIT_ROUNDING_MINOR = 1000_00


def propose_limit(policy: Policy, *, annual_revenue_minor: int | None, avg_monthly_sales_minor: int,
                  rounding_minor: int = LIMIT_ROUNDING_MINOR) -> LimitProposal:
    """The limit a grade's policy gives: fixed, or a formula rounded down, raised to the floor, cut to the cap."""
    basis = {"limit_kind": policy.limit_kind, "limit_rate": str(policy.limit_rate),
             "floor_minor": policy.limit_fixed_minor, "cap_minor": policy.limit_cap_minor,
             "annual_revenue_minor": annual_revenue_minor, "avg_monthly_sales_minor": avg_monthly_sales_minor}
    if policy.prepayment_only:
        return LimitProposal(0, None, {**basis, "rule": "prepayment_only"})
    if policy.limit_kind == "fixed":
        return LimitProposal(policy.limit_fixed_minor, None, {**basis, "rule": "fixed"})
    if policy.limit_kind == "revenue_pct":
        formula = int((Decimal(annual_revenue_minor or 0) * policy.limit_rate / 100).to_integral_value(ROUND_DOWN))
    elif policy.limit_kind == "avg_monthly_sales_multiple":
        formula = int((Decimal(avg_monthly_sales_minor) * policy.limit_rate).to_integral_value(ROUND_DOWN))
    else:
        raise ScorecardError(f"unknown limit kind {policy.limit_kind!r}")
    limit = formula - formula % rounding_minor if rounding_minor > 0 else formula
    rule = "formula"
    if limit < policy.limit_fixed_minor:
        limit, rule = policy.limit_fixed_minor, "floor"
    if policy.limit_cap_minor is not None and limit > policy.limit_cap_minor:
        limit, rule = policy.limit_cap_minor, "cap"
    return LimitProposal(limit, formula, {**basis, "rule": rule, "formula_minor": formula})


# -- the default scorecard and policies ----------------------------------------------------------------

INDUSTRY_RISK = {
    "low": ["public", "healthcare", "energy"],
    "medium": ["manufacturing", "electronics", "automotive", "logistics", "agriculture", "services", "other"],
    "high": ["wholesale", "construction"],
}


def _bands(*spec: tuple[str | None, int]) -> list[dict[str, object]]:
    """_bands(("0.40", 100), ("0.60", 70), (None, 0)) -> adjacent bands: < 0.40, 0.40 – 0.60, >= 0.60."""
    bands: list[dict[str, object]] = []
    lower: str | None = None
    for upper, points in spec:
        band: dict[str, object] = {"points": points}
        if lower is not None:
            band["min"] = lower
        if upper is not None:
            band["max"] = upper
        bands.append(band)
        lower = upper
    return bands


DEFAULT_SCORECARD: dict[str, Any] = {
    "groups": [
        {"key": "financial", "label": "Financial strength"},
        {"key": "payment", "label": "Payment behaviour"},
        {"key": "relationship", "label": "Relationship"},
        {"key": "industry", "label": "Industry risk"},
        {"key": "external", "label": "External flags"},
    ],
    "factors": [
        {"key": "debt_ratio", "group": "financial", "weight": 10, "kind": "number", "direction": "lower_better",
         "neutral": 50, "bands": _bands(("0.40", 100), ("0.60", 70), ("0.75", 40), ("0.90", 15), (None, 0))},
        {"key": "current_ratio", "group": "financial", "weight": 6, "kind": "number", "direction": "higher_better",
         "neutral": 50, "bands": _bands(("1.00", 0), ("1.20", 35), ("1.50", 60), ("2.00", 80), (None, 100))},
        {"key": "revenue_cny", "group": "financial", "weight": 6, "kind": "number", "direction": "higher_better",
         "neutral": 50, "bands": _bands(("10000000", 20), ("50000000", 40), ("200000000", 60),
                                        ("1000000000", 80), (None, 100))},
        {"key": "net_margin", "group": "financial", "weight": 4, "kind": "number", "direction": "higher_better",
         "neutral": 50, "bands": _bands(("-0.05", 0), ("0", 15), ("0.05", 45), ("0.10", 75), (None, 100))},
        {"key": "operating_cash_flow_positive", "group": "financial", "weight": 4, "kind": "flag", "neutral": 50,
         "bands": [{"values": [True], "points": 100}, {"values": [False], "points": 0}]},
        {"key": "avg_days_late", "group": "payment", "weight": 12, "kind": "number", "direction": "lower_better",
         "neutral": 60, "bands": _bands(("3", 100), ("10", 80), ("20", 60), ("30", 40), ("60", 15), (None, 0))},
        {"key": "on_time_share", "group": "payment", "weight": 10, "kind": "number", "direction": "higher_better",
         "neutral": 60, "bands": _bands(("0.50", 0), ("0.70", 30), ("0.85", 55), ("0.95", 80), (None, 100))},
        {"key": "max_days_late", "group": "payment", "weight": 6, "kind": "number", "direction": "lower_better",
         "neutral": 60, "bands": _bands(("15", 100), ("30", 75), ("60", 45), ("90", 20), (None, 0))},
        {"key": "broken_promises", "group": "payment", "weight": 4, "kind": "number", "direction": "lower_better",
         "neutral": 100, "bands": _bands(("1", 100), ("2", 60), ("3", 30), (None, 0))},
        {"key": "dispute_count", "group": "payment", "weight": 3, "kind": "number", "direction": "lower_better",
         "neutral": 100, "bands": _bands(("1", 100), ("3", 70), ("6", 35), (None, 0))},
        {"key": "tenure_years", "group": "relationship", "weight": 7, "kind": "number", "direction": "higher_better",
         "neutral": 30, "bands": _bands(("1", 30), ("3", 55), ("5", 80), (None, 100))},
        {"key": "volume_12m_cny", "group": "relationship", "weight": 8, "kind": "number",
         "direction": "higher_better", "neutral": 30,
         "bands": _bands(("100000", 20), ("500000", 40), ("2000000", 60), ("10000000", 80), (None, 100))},
        {"key": "industry", "group": "industry", "weight": 10, "kind": "category", "neutral": 60,
         "bands": [{"values": INDUSTRY_RISK["low"], "points": 100}, {"values": INDUSTRY_RISK["medium"], "points": 60},
                   {"values": INDUSTRY_RISK["high"], "points": 20}]},
        {"key": "bureau_rating", "group": "external", "weight": 5, "kind": "category", "neutral": 60,
         "bands": [{"values": ["AAA", "AA"], "points": 100}, {"values": ["A"], "points": 80},
                   {"values": ["BBB"], "points": 60}, {"values": ["BB"], "points": 35},
                   {"values": ["B", "CCC", "CC", "C"], "points": 0}]},
        {"key": "lawsuits_count", "group": "external", "weight": 3, "kind": "number", "direction": "lower_better",
         "neutral": 50, "bands": _bands(("1", 100), ("3", 60), ("6", 25), (None, 0))},
        {"key": "business_abnormal", "group": "external", "weight": 2, "kind": "flag", "neutral": 50,
         "bands": [{"values": [False], "points": 100}, {"values": [True], "points": 0}]},
    ],
    "thresholds": {"A": 85, "B": 70, "C": 55},
    "overrides": [
        {"code": "dishonest_debtor", "input": "dishonest_debtor", "equals": True, "max_grade": "D"},
        {"code": "business_abnormal", "input": "business_abnormal", "equals": True, "max_grade": "C"},
    ],
}

DEFAULT_POLICIES: dict[str, Policy] = {
    "A": Policy("A", "avg_monthly_sales_multiple", 200_000_00, Decimal(3), 5_000_000_00, 60, Decimal(0), False,
                Decimal(2), 10, False),
    "B": Policy("B", "avg_monthly_sales_multiple", 100_000_00, Decimal(2), 2_000_000_00, 45, Decimal(0), False,
                Decimal(1), 10, False),
    "C": Policy("C", "avg_monthly_sales_multiple", 50_000_00, Decimal(1), 500_000_00, 30, Decimal(30), True,
                Decimal(0), 0, False),
    "D": Policy("D", "fixed", 0, Decimal(0), None, 0, Decimal(100), False, Decimal(0), 0, True),
}
