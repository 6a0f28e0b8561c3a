"""The pure rules of stress tests: scenario checks name the field, the slip rule is exact over 10000 ids, the
cash position and the rounding of costs."""

from __future__ import annotations

import pytest

from arms.domain import stress as rules


@pytest.mark.parametrize(("raw", "field"), [
    ({}, "slip_share_bp"),
    ({"default_top_n": 0}, "default_top_n"),
    ({"slip_share_bp": 0, "default_top_n": 0}, "default_top_n"),
    ({"slip_share_bp": 10_001, "slip_days": 30}, "slip_share_bp"),
    ({"slip_share_bp": 500}, "slip_days"),
    ({"default_top_n": -1}, "default_top_n"),
    ({"default_top_n": 51}, "default_top_n"),
    ({"default_grade": "X"}, "default_grade"),
    ({"migrate_grade": "D"}, "migrate_grade"),
    ({"fx_currency": "CNY", "fx_move_bp": 100}, "fx_currency"),
    ({"fx_move_bp": 100}, "fx_currency"),
    ({"fx_currency": "USD", "fx_move_bp": 10_001}, "fx_move_bp"),
    ({"slip_share_bp": "5", "slip_days": 30}, "slip_share_bp"),
    ({"default_top_n": True}, "default_top_n"),
])
def test_bad_parameters_name_their_field(raw, field):
    with pytest.raises(rules.ScenarioError) as caught:
        rules.scenario_check(raw)
    assert caught.value.field == field


def test_a_migration_slips_by_the_gap_between_the_grades():
    assert [rules.scenario_check({"migrate_grade": g}).migrate_days for g in "ABC"] == [15, 30, 45]


def test_the_slip_rule_picks_exactly_the_share_of_any_10000_consecutive_ids():
    for start in (1, 12_345):
        assert sum(rules.item_slips(i, 1_000) for i in range(start, start + 10_000)) == 1_000
    assert all(rules.item_slips(i, 10_000) for i in range(1, 100))
    assert not any(rules.item_slips(i, 0) for i in range(1, 100))


def test_cash_position_and_rounding():
    position = rules.cash_position(opening=100, cash_in=[50, 0, 300], outflow=120)
    assert position.positions == (30, -90, 90) and (position.minimum, position.minimum_index) == (-90, 1)
    assert rules.overdue_cost(18_250, 100) == 1  # 18,250 × 100 / 3,650,000 = 0.5 exactly, half up
    assert rules.overdue_cost(18_249, 100) == 0
    assert rules.fx_shocked(10_000, -1_000) == 9_000 and rules.fx_shocked(3, 5_000) == 5  # 4.5 → 5
    assert rules.ratio_bp(1, 3) == 3_333 and rules.ratio_bp(1, 0) is None
