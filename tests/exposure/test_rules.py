"""The credit check's pure rules (arms.domain.exposure): no database, milliseconds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.domain.exposure import ALLOW, BLOCK, WARN, CreditFacts, HoldFact, available, decide, warn_threshold


def facts(**kw) -> CreditFacts:
    base = {"exposure_minor": 0, "increase_minor": 0, "limit_minor": 1_000_00}
    base.update(kw)
    base.setdefault("amount_minor", base["increase_minor"])
    return CreditFacts(**base)


def codes(decision) -> list[str]:
    return [r.code for r in decision.reasons]


def test_within_the_limit_is_allowed_without_reasons():
    d = decide(facts(exposure_minor=500_00, increase_minor=300_00))
    assert (d.decision, codes(d)) == (ALLOW, [])


def test_exactly_at_the_limit_is_allowed_but_warns_above_ninety_percent():
    d = decide(facts(exposure_minor=700_00, increase_minor=300_00))
    assert (d.decision, codes(d)) == (WARN, ["near_limit"])
    assert d.reasons[0].params == {"limit_minor": 1_000_00, "exposure_after_minor": 1_000_00, "share_bp": 9000}


def test_one_fen_over_the_limit_blocks_and_says_by_how_much():
    d = decide(facts(exposure_minor=700_00, increase_minor=300_01))
    assert (d.decision, codes(d)) == (BLOCK, ["limit_exceeded"])
    assert d.reasons[0].params["excess_minor"] == 1


def test_warning_starts_above_the_share_not_at_it():
    assert decide(facts(exposure_minor=0, increase_minor=900_00)).decision == ALLOW
    assert decide(facts(exposure_minor=0, increase_minor=900_01)).decision == WARN
    assert decide(facts(exposure_minor=0, increase_minor=800_01, warn_share_bp=8000)).decision == WARN


def test_a_document_that_adds_nothing_passes_even_over_the_limit():
    # an invoice fully covered by its contract's not-yet-invoiced rest: that exposure was checked with the contract
    d = decide(facts(exposure_minor=1_200_00, increase_minor=0, amount_minor=100_00))
    assert d.decision == ALLOW


def test_without_a_limit_the_customer_is_not_under_credit_control_and_only_warns():
    d = decide(facts(limit_minor=None, exposure_minor=10**12, increase_minor=10**12, overdue_items=3,
                     overdue_minor=10**9))
    assert (d.decision, codes(d)) == (WARN, ["unrated"])


def test_a_hold_blocks_even_a_customer_not_under_credit_control():
    d = decide(facts(limit_minor=None, holds=(HoldFact(7, "dunning_stop_supply", "", "dunning:3"),),
                     increase_minor=1))
    assert (d.decision, codes(d)) == (BLOCK, ["hold", "unrated"])
    assert d.reasons[0].params == {"hold_id": 7, "hold_reason": "dunning_stop_supply", "note": "",
                                   "source_ref": "dunning:3"}


def test_grade_d_is_prepayment_only_unless_prepaid_cash_covers_the_document():
    blocked = decide(facts(limit_minor=None, prepayment_only=True, grade="D", increase_minor=500_00,
                           prepaid_minor=499_99))
    covered = decide(facts(limit_minor=None, prepayment_only=True, grade="D", increase_minor=500_00,
                           prepaid_minor=500_00))
    assert (blocked.decision, codes(blocked)) == (BLOCK, ["grade_d"])
    assert covered.decision == ALLOW


def test_overdue_items_block_and_every_blocking_reason_is_reported_before_warnings():
    d = decide(facts(exposure_minor=950_00, increase_minor=100_00, overdue_items=2, overdue_minor=300_00,
                     oldest_overdue_days=120, holds=(HoldFact(1, "manual", "老板说的"),)))
    assert d.decision == BLOCK
    assert codes(d) == ["hold", "overdue", "limit_exceeded"]
    assert d.reasons[1].params["oldest_days"] == 120


def test_negative_amounts_are_a_programming_error():
    with pytest.raises(ValueError):
        decide(facts(increase_minor=-1))


def test_available_is_never_negative_and_none_without_a_limit():
    assert available(1_000, 400) == 600
    assert available(1_000, 1_400) == 0
    assert available(None, 5) is None


amounts = st.integers(min_value=0, max_value=10**13)


@given(limit=amounts, exposure=amounts, increase=amounts, share=st.integers(min_value=0, max_value=10_000))
def test_a_document_that_raises_exposure_above_the_limit_is_always_blocked(limit, exposure, increase, share):
    d = decide(facts(limit_minor=limit, exposure_minor=exposure, increase_minor=increase, warn_share_bp=share))
    if increase > 0 and exposure + increase > limit:
        assert d.decision == BLOCK and "limit_exceeded" in codes(d)
    else:
        assert "limit_exceeded" not in codes(d)
    if d.decision == ALLOW:
        assert exposure + increase <= warn_threshold(limit, share) or increase == 0


@given(exposure=amounts, increase=amounts, holds=st.integers(min_value=1, max_value=3))
def test_any_hold_blocks_whatever_else_is_true(exposure, increase, holds):
    d = decide(facts(limit_minor=10**15, exposure_minor=exposure, increase_minor=increase,
                     holds=tuple(HoldFact(i, "manual") for i in range(holds))))
    assert d.decision == BLOCK
    assert codes(d)[:holds] == ["hold"] * holds
