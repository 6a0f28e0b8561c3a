"""The pure rules of dunning: which stage an item is due for, and what late interest the contract allows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.domain.dunning import DEFAULT_LADDER, StageRule, highest_reached, ladder_problems, stage_due
from arms.domain.interest import late_interest

DUE = date(2026, 3, 31)


@pytest.fixture(autouse=True)
def _roles():
    """Plain Python: no database (overrides tests/conftest.py)."""


def codes(choice):
    return (choice.stage.code if choice.stage else None, [s.code for s in choice.skipped])


@pytest.mark.parametrize(("days", "reached", "expected"), [
    (-8, None, (None, [])),
    (-7, None, ("pre_due", [])),
    (0, -7, (None, [])),
    (1, -7, ("reminder", [])),
    (14, 1, (None, [])),
    (15, 1, ("call", [])),
    (20, None, ("call", ["pre_due", "reminder"])),  # first seen at +20: only the call, the rest skipped
    (45, 15, ("letter", [])),
    (100, 30, ("lawyer_letter", ["stop_supply"])),
    (400, 180, (None, [])),
    (35, 60, (None, [])),  # a higher stage was reached before (a policy change): never step back down
])
def test_stage_due_takes_only_the_highest_stage_not_yet_reached(days, reached, expected):
    assert codes(stage_due(days_past_due=days, stages=DEFAULT_LADDER, reached_offset=reached)) == expected


def test_highest_reached():
    assert highest_reached(days_past_due=-10, stages=DEFAULT_LADDER) is None
    assert highest_reached(days_past_due=61, stages=DEFAULT_LADDER).code == "stop_supply"


def test_the_default_ladder_is_sound_and_broken_ladders_are_named():
    assert ladder_problems(DEFAULT_LADDER) == []
    assert ladder_problems([StageRule("a", 1), StageRule("b", 1)]) == ["duplicate_offset"]
    assert ladder_problems([StageRule("a", 1), StageRule("a", 2)]) == ["duplicate_code"]
    assert ladder_problems([StageRule("a", 1, "finance"), StageRule("b", 2, "sales")]) == ["level_steps_down"]
    assert ladder_problems([StageRule("a", 1, "boss")]) == ["unknown_level"]


@given(days=st.lists(st.integers(-30, 400), min_size=1, max_size=12).map(sorted))
def test_walking_an_item_through_time_reaches_each_stage_at_most_once_and_in_order(days):
    """Property: run on any increasing sequence of days, the item acts or skips each stage at most once,
    offsets only rise, and every stage up to the last day's highest is accounted for."""
    reached = None
    seen = []
    for d in days:
        choice = stage_due(days_past_due=d, stages=DEFAULT_LADDER, reached_offset=reached)
        if choice.stage is None:
            continue
        passed = [*choice.skipped, choice.stage]
        seen += [s.offset_days for s in passed]
        reached = choice.stage.offset_days
    assert seen == sorted(set(seen))
    top = highest_reached(days_past_due=days[-1], stages=DEFAULT_LADDER)
    assert seen == [s.offset_days for s in DEFAULT_LADDER if top and s.offset_days <= top.offset_days]


def test_late_interest_per_day_and_penalty():
    # 100,000.00 overdue 30 days at 万分之五 per day = 1,500.00; 5% penalty = 5,000.00
    charge = late_interest(amount_minor=10_000_000, due_date=DUE, as_of=DUE + timedelta(days=30),
                           daily_rate=Decimal("0.0005"), penalty_rate=Decimal("0.05"))
    assert (charge.days_overdue, charge.interest_minor, charge.penalty_minor, charge.total_minor) == (
        30, 150_000, 500_000, 650_000)


def test_nothing_is_charged_on_time_or_within_grace():
    assert late_interest(amount_minor=100, due_date=DUE, as_of=DUE, daily_rate=Decimal("0.01")).total_minor == 0
    assert late_interest(amount_minor=100, due_date=DUE, as_of=DUE - timedelta(days=3),
                         daily_rate=Decimal("0.01")).days_overdue == 0
    within = late_interest(amount_minor=10_000, due_date=DUE, as_of=DUE + timedelta(days=5),
                           daily_rate=Decimal("0.01"), grace_days=5)
    assert (within.days_overdue, within.total_minor) == (5, 0)
    after = late_interest(amount_minor=10_000, due_date=DUE, as_of=DUE + timedelta(days=6),
                          daily_rate=Decimal("0.01"), grace_days=5)
    assert after.interest_minor == 600  # from the day after the due date once grace has passed


def test_rounding_is_half_up_per_part():
    # 333 * 0.0005 * 3 = 0.4995 -> 0; 333 * 0.0015 = 0.4995 -> 0; 1001 * 0.0005 = 0.5005 -> 1
    assert late_interest(amount_minor=333, due_date=DUE, as_of=DUE + timedelta(days=3),
                         daily_rate=Decimal("0.0005")).interest_minor == 0
    assert late_interest(amount_minor=1001, due_date=DUE, as_of=DUE + timedelta(days=1),
                         daily_rate=Decimal("0.0005")).interest_minor == 1
    assert late_interest(amount_minor=1000, due_date=DUE, as_of=DUE + timedelta(days=1),
                         daily_rate=Decimal("0.0005")).interest_minor == 1  # 0.5 rounds up


@pytest.mark.parametrize("bad", [{"amount_minor": -1}, {"amount_minor": 1, "daily_rate": Decimal("-0.1")},
                                 {"amount_minor": 1, "penalty_rate": Decimal("-1")},
                                 {"amount_minor": 1, "grace_days": -1}])
def test_bad_inputs_are_refused(bad):
    with pytest.raises(ValueError):
        late_interest(due_date=DUE, as_of=DUE + timedelta(days=9), **bad)


def test_a_float_amount_is_refused():
    with pytest.raises(TypeError):
        late_interest(amount_minor=1.5, due_date=DUE, as_of=DUE)


@given(amount=st.integers(0, 10**13), days=st.integers(-100, 3650),
       rate=st.decimals(min_value=0, max_value=Decimal("0.01"), places=7))
def test_interest_grows_with_time_and_is_exact_in_integers(amount, days, rate):
    one = late_interest(amount_minor=amount, due_date=DUE, as_of=DUE + timedelta(days=days), daily_rate=rate)
    later = late_interest(amount_minor=amount, due_date=DUE, as_of=DUE + timedelta(days=days + 1), daily_rate=rate)
    assert isinstance(one.interest_minor, int)
    assert 0 <= one.interest_minor <= later.interest_minor
    assert abs(one.interest_minor - Decimal(amount) * rate * max(days, 0)) <= Decimal("0.5")
