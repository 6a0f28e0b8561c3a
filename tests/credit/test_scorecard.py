"""The pure scorecard: worked examples (one per grade and per hard override), the policy, and its properties.

Every expected number below is computed by hand from the default scorecard in ``arms.domain.scorecard`` and
the table in docs/domain/credit.md: contribution = weight × band points / 100, score = the sum rounded half up.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arms.domain.scorecard import (
    DEFAULT_POLICIES,
    DEFAULT_SCORECARD,
    Policy,
    ScorecardError,
    evaluate,
    propose_limit,
    scorecard_from_dict,
)

CARD = scorecard_from_dict(DEFAULT_SCORECARD)


@pytest.fixture(autouse=True)
def _roles():
    """Plain Python: no database (overrides tests/conftest.py)."""


GRADE_A = {
    "debt_ratio": "0.55", "current_ratio": "1.6", "revenue_cny": "300000000", "net_margin": "0.08",
    "operating_cash_flow_positive": True, "avg_days_late": "2", "on_time_share": "0.96", "max_days_late": "20",
    "broken_promises": "0", "dispute_count": "1", "tenure_years": "4", "volume_12m_cny": "12000000",
    "industry": "energy", "bureau_rating": "AA", "lawsuits_count": "0", "business_abnormal": False,
    "dishonest_debtor": False,
}
GRADE_B = {
    "debt_ratio": "0.65", "current_ratio": "1.3", "revenue_cny": "80000000", "net_margin": "0.03",
    "operating_cash_flow_positive": True, "avg_days_late": "5", "on_time_share": "0.96", "max_days_late": "35",
    "broken_promises": "0", "dispute_count": "0", "tenure_years": "2.5", "volume_12m_cny": "3000000",
    "industry": "manufacturing", "bureau_rating": "A", "lawsuits_count": "1", "business_abnormal": False,
}
GRADE_C = {  # a customer whose financials and external facts nobody has entered yet
    "avg_days_late": "8", "on_time_share": "0.75", "max_days_late": "45", "broken_promises": "1",
    "dispute_count": "2", "tenure_years": "1.5", "volume_12m_cny": "800000", "industry": "manufacturing",
}
GRADE_D = {
    "debt_ratio": "0.95", "current_ratio": "0.8", "revenue_cny": "5000000", "net_margin": "-0.10",
    "operating_cash_flow_positive": False, "avg_days_late": "70", "on_time_share": "0.30", "max_days_late": "120",
    "broken_promises": "3", "dispute_count": "7", "tenure_years": "0.5", "volume_12m_cny": "50000",
    "industry": "construction", "bureau_rating": "B", "lawsuits_count": "8", "business_abnormal": False,
}


def points(result) -> dict[str, int]:
    return {c.key: c.centi for c in result.contributions}


def test_grade_a_worked_example():
    result = evaluate(CARD, GRADE_A)
    assert points(result) == {
        "debt_ratio": 700, "current_ratio": 480, "revenue_cny": 480, "net_margin": 300,
        "operating_cash_flow_positive": 400, "avg_days_late": 1200, "on_time_share": 1000, "max_days_late": 450,
        "broken_promises": 400, "dispute_count": 210, "tenure_years": 560, "volume_12m_cny": 800,
        "industry": 1000, "bureau_rating": 500, "lawsuits_count": 300, "business_abnormal": 200,
    }
    assert sum(points(result).values()) == 8980
    assert (result.score, result.computed_grade, result.grade) == (90, "A", "A")
    assert result.missing == () and result.overrides == ()
    assert result.group_totals() == {"financial": 2360, "payment": 3260, "relationship": 1360, "industry": 1000,
                                     "external": 1000}


def test_grade_b_worked_example_on_the_threshold():
    result = evaluate(CARD, GRADE_B)
    assert sum(points(result).values()) == 7035  # 70.35 points
    assert (result.score, result.grade) == (70, "B")
    one_day_later = evaluate(CARD, {**GRADE_B, "avg_days_late": "10"})  # 80 -> 60 band points: -2.40
    assert (one_day_later.score, one_day_later.grade) == (68, "C")


def test_grade_c_worked_example_with_missing_inputs_scored_neutral():
    result = evaluate(CARD, GRADE_C)
    assert result.missing == ("debt_ratio", "current_ratio", "revenue_cny", "net_margin",
                              "operating_cash_flow_positive", "bureau_rating", "lawsuits_count", "business_abnormal")
    neutral = {c.key: (c.points, c.centi) for c in result.contributions if c.missing}
    assert neutral == {"debt_ratio": (50, 500), "current_ratio": (50, 300), "revenue_cny": (50, 300),
                       "net_margin": (50, 200), "operating_cash_flow_positive": (50, 200),
                       "bureau_rating": (60, 300), "lawsuits_count": (50, 150), "business_abnormal": (50, 100)}
    assert sum(points(result).values()) == 5745
    assert (result.score, result.grade) == (57, "C")


def test_grade_d_worked_example():
    result = evaluate(CARD, GRADE_D)
    assert {k: v for k, v in points(result).items() if v} == {
        "revenue_cny": 120, "tenure_years": 210, "volume_12m_cny": 160, "industry": 200, "business_abnormal": 200}
    assert (result.score, result.grade) == (9, "D")


def test_rounding_is_half_up():
    def card(points):
        return scorecard_from_dict({
            "factors": [
                {"key": "a", "weight": 1, "kind": "flag", "bands": [{"values": [True], "points": points}]},
                {"key": "b", "weight": 99, "kind": "flag", "bands": [{"values": [True], "points": 0}]},
            ],
            "thresholds": {"A": 3, "B": 2, "C": 1},
        })

    inputs = {"a": True, "b": True}
    assert evaluate(card(50), inputs).score == 1  # 0.50 points round up
    assert evaluate(card(49), inputs).score == 0  # 0.49 round down
    assert evaluate(card(50), inputs).grade == "C" and evaluate(card(49), inputs).grade == "D"


def test_dishonest_debtor_forces_d():
    result = evaluate(CARD, {**GRADE_A, "dishonest_debtor": True})
    assert (result.score, result.computed_grade, result.grade) == (90, "A", "D")
    assert result.overrides == ("dishonest_debtor",)


def test_business_abnormal_caps_at_c():
    result = evaluate(CARD, {**GRADE_A, "business_abnormal": True})
    assert sum(points(result).values()) == 8780  # the flag's own factor gives 0 instead of 200
    assert (result.score, result.computed_grade, result.grade) == (88, "A", "C")
    assert result.overrides == ("business_abnormal",)
    low = evaluate(CARD, {**GRADE_D, "business_abnormal": True})
    assert (low.grade, low.overrides) == ("D", ("business_abnormal",))  # a cap never raises a grade


def test_both_overrides_the_worst_cap_wins():
    result = evaluate(CARD, {**GRADE_A, "business_abnormal": True, "dishonest_debtor": True})
    assert (result.grade, result.overrides) == ("D", ("dishonest_debtor", "business_abnormal"))


def test_unknown_category_counts_as_missing():
    result = evaluate(CARD, {**GRADE_A, "industry": "space_mining"})
    assert "industry" in result.missing
    assert points(result)["industry"] == 600  # neutral 60 × weight 10


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["factors"][0].update(weight=11), "weights add up to 101"),
    (lambda d: d["factors"][0]["bands"][1].update(min="0.41"), "ascending and adjacent"),
    (lambda d: d["factors"][0]["bands"][2].update(points=80), "lower is better"),
    (lambda d: d["thresholds"].update(B=90), "thresholds must fall"),
    (lambda d: d["overrides"][0].update(max_grade="E"), "max_grade"),
    (lambda d: d["factors"][1].update(kind="text"), "kind must be"),
])
def test_invalid_definitions_are_refused(change, message):
    import copy

    definition = copy.deepcopy(DEFAULT_SCORECARD)
    change(definition)
    with pytest.raises(ScorecardError, match=message):
        scorecard_from_dict(definition)


def test_bad_inputs_are_refused():
    with pytest.raises(ScorecardError, match="not a number"):
        evaluate(CARD, {"debt_ratio": "abc"})
    with pytest.raises(ScorecardError, match="true or false"):
        evaluate(CARD, {"business_abnormal": "maybe"})


# -- the policy ---------------------------------------------------------------------------------------------

def test_policy_limits_formula_floor_cap_and_prepayment():
    a, b, d = DEFAULT_POLICIES["A"], DEFAULT_POLICIES["B"], DEFAULT_POLICIES["D"]
    # A: 3 × 1,234,567.89 = 3,703,703.67, rounded down to whole thousands of yuan
    proposal = propose_limit(a, annual_revenue_minor=None, avg_monthly_sales_minor=1_234_567_89)
    assert (proposal.limit_minor, proposal.formula_minor, proposal.basis["rule"]) == (3_703_000_00, 3_703_703_67,
                                                                                       "formula")
    assert propose_limit(a, annual_revenue_minor=None, avg_monthly_sales_minor=2_000_000_00).limit_minor == 5_000_000_00
    assert propose_limit(b, annual_revenue_minor=None, avg_monthly_sales_minor=10_000_00).limit_minor == 100_000_00
    assert propose_limit(d, annual_revenue_minor=10**12, avg_monthly_sales_minor=10**10).limit_minor == 0
    revenue = Policy("X", "revenue_pct", 0, Decimal("2.5"), None)
    assert propose_limit(revenue, annual_revenue_minor=100_000_000_00, avg_monthly_sales_minor=0).limit_minor \
        == 2_500_000_00
    assert propose_limit(Policy("X", "fixed", 123_00), annual_revenue_minor=None,
                         avg_monthly_sales_minor=0).limit_minor == 123_00


def test_default_policies_by_grade():
    assert [(p.payment_terms_days, p.prepayment_only) for p in DEFAULT_POLICIES.values()] == [
        (60, False), (45, False), (30, False), (0, True)]


# -- properties ---------------------------------------------------------------------------------------------

def _value_strategy(factor):
    if factor.kind == "number":
        return st.one_of(st.none(), st.decimals(min_value=-100, max_value=10**10, places=4, allow_nan=False,
                                                allow_infinity=False).map(str))
    if factor.kind == "flag":
        return st.one_of(st.none(), st.booleans())
    values = [v for band in factor.bands for v in band.values]
    return st.one_of(st.none(), st.sampled_from([*values, "unlisted"]))


inputs_strategy = st.fixed_dictionaries(
    {f.key: _value_strategy(f) for f in CARD.factors},
    optional={"dishonest_debtor": st.one_of(st.none(), st.booleans())},
)
NUMBER_FACTORS = [f for f in CARD.factors if f.kind == "number" and f.direction]


@settings(max_examples=300, deadline=None)
@given(inputs_strategy)
def test_score_is_within_0_and_100_and_the_grade_follows_it(inputs):
    result = evaluate(CARD, inputs)
    assert 0 <= result.score <= 100
    assert result.computed_grade == CARD.grade_for(result.score)
    assert result.grade >= result.computed_grade  # overrides only ever lower a grade ("D" > "A")


@settings(max_examples=300, deadline=None)
@given(inputs_strategy)
def test_recomputing_from_the_stored_inputs_gives_the_identical_result(inputs):
    import json

    first = evaluate(CARD, inputs)
    stored = json.loads(json.dumps(first.inputs))  # what a Rating keeps in its JSON column
    assert evaluate(scorecard_from_dict(json.loads(json.dumps(DEFAULT_SCORECARD))), stored) == first


@settings(max_examples=300, deadline=None)
@given(inputs_strategy, st.sampled_from(NUMBER_FACTORS), st.decimals(min_value=0, max_value=10**9, places=2,
                                                                     allow_nan=False, allow_infinity=False))
def test_score_is_monotone_in_each_factor(inputs, factor, step):
    base = inputs.get(factor.key)
    low = Decimal(base) if base is not None else Decimal(0)
    worse, better = (low, low + step) if factor.direction == "higher_better" else (low + step, low)
    score_worse = evaluate(CARD, {**inputs, factor.key: str(worse)}).score
    score_better = evaluate(CARD, {**inputs, factor.key: str(better)}).score
    assert score_worse <= score_better


@settings(max_examples=200, deadline=None)
@given(inputs_strategy, st.sampled_from([f for f in CARD.factors if f.weight]))
def test_a_better_band_never_lowers_the_score(inputs, factor):
    """Band order: moving a factor's input to a band with more points never lowers the total."""
    by_points = sorted(range(len(factor.bands)), key=lambda i: factor.bands[i].points)
    scores = []
    for index in by_points:
        band = factor.bands[index]
        value = band.values[0] if band.values else (band.min if band.min is not None else band.max - 1)
        scores.append(evaluate(CARD, {**inputs, factor.key: value if isinstance(value, bool) else str(value)}).score)
    assert scores == sorted(scores)
