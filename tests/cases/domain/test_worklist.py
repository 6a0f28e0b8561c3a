"""The worklist score: every part from its table, and the order of a small list worked out by hand."""

import pytest

from arms.domain.worklist import (
    WorklistFacts,
    age_points,
    amount_points,
    grade_points,
    promise_points,
    rank,
    score,
)


@pytest.mark.parametrize(("fen", "points"), [(0, 0), (1, 4), (999_999, 4), (1_000_000, 8), (5_000_000, 16),
                                             (10_000_000, 24), (50_000_000, 32), (99_999_999, 32),
                                             (100_000_000, 40)])
def test_amount_points(fen, points):
    assert amount_points(fen) == points


@pytest.mark.parametrize(("days", "points"), [(-30, 0), (-8, 0), (-7, 2), (0, 2), (1, 5), (30, 5), (31, 10),
                                              (61, 20), (90, 20), (91, 25), (180, 25), (181, 30)])
def test_age_points(days, points):
    assert age_points(days) == points


def test_grade_and_promise_points():
    assert [grade_points(g) for g in ("A", "B", "C", "D", "", "x")] == [0, 4, 8, 12, 6, 6]
    assert [promise_points(n) for n in (0, 1, 2, 3, 9)] == [0, 5, 10, 15, 15]


def test_a_small_list_in_the_order_worked_out_by_hand():
    rows = [
        # ¥60,000 (16) + 45 days (10) + grade B (4) + no broken promise = 30
        WorklistFacts(1, "K1", 6_000_000, 45, "B", 0),
        # ¥8,000 (4) + 200 days (30) + unrated (6) + 1 broken (5) = 45
        WorklistFacts(2, "K2", 800_000, 200, "", 1),
        # ¥1,200,000 (40) + 5 days (5) + grade A (0) = 45, more money than K2: first
        WorklistFacts(3, "K3", 120_000_000, 5, "A", 0),
        # nothing overdue, due in 3 days (2) + grade D (12) = 14
        WorklistFacts(4, "K4", 0, -3, "D", 0),
        # ¥60,000 (16) + 45 days (10) + grade B (4) = 30, same as K1: by code, K0 first
        WorklistFacts(5, "K0", 6_000_000, 45, "B", 0),
    ]
    assert [score(r) for r in rows] == [30, 45, 45, 14, 30]
    assert [r.code for r in rank(rows)] == ["K3", "K2", "K0", "K1", "K4"]
