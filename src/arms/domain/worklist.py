"""The collector's worklist score: who to call first.

A customer's score is the sum of four parts, each from a small table so a collector can work it out by hand:

========================  =====================================================================
part                      points
========================  =====================================================================
amount overdue (CNY)      0 none · 4 up to ¥10,000 · 8 from ¥10,000 · 16 from ¥50,000 ·
                          24 from ¥100,000 · 32 from ¥500,000 · 40 from ¥1,000,000
oldest item overdue       2 falling due within 7 days (act before the due date) · 5 for 1-30 days ·
                          10 for 31-60 · 20 for 61-90 · 25 for 91-180 · 30 beyond 180 days
credit grade              A 0 · B 4 · C 8 · D 12 · not rated 6 (neutral: the middle)
broken promises (12 m.)   5 each, at most 15
========================  =====================================================================

The highest score comes first; ties go to the larger overdue amount, then to the customer code.
"""

from __future__ import annotations

from dataclasses import dataclass

#: (lower bound in CNY fen, points), highest first
AMOUNT_BANDS: tuple[tuple[int, int], ...] = (
    (1_000_000_00, 40), (500_000_00, 32), (100_000_00, 24), (50_000_00, 16), (10_000_00, 8), (1, 4),
)
#: (fewest days overdue, points), highest first
AGE_BANDS: tuple[tuple[int, int], ...] = ((181, 30), (91, 25), (61, 20), (31, 10), (1, 5))
DUE_SOON_DAYS = 7
DUE_SOON_POINTS = 2
GRADE_POINTS = {"A": 0, "B": 4, "C": 8, "D": 12}
UNRATED_POINTS = 6
BROKEN_PROMISE_POINTS = 5
BROKEN_PROMISE_CAP = 15


@dataclass(frozen=True)
class WorklistFacts:
    """What the score looks at for one customer."""

    customer_id: int
    code: str
    overdue_base_minor: int  # overdue open amount in CNY fen
    max_days_overdue: int  # days the oldest open item is past due; negative while nothing is due yet
    grade: str = ""  # "A".."D", "" when not rated
    broken_promises: int = 0


@dataclass(frozen=True)
class ScoreParts:
    amount: int
    age: int
    grade: int
    promises: int

    @property
    def total(self) -> int:
        return self.amount + self.age + self.grade + self.promises


def amount_points(overdue_base_minor: int) -> int:
    for bound, points in AMOUNT_BANDS:
        if overdue_base_minor >= bound:
            return points
    return 0


def age_points(max_days_overdue: int) -> int:
    for bound, points in AGE_BANDS:
        if max_days_overdue >= bound:
            return points
    if -DUE_SOON_DAYS <= max_days_overdue <= 0:
        return DUE_SOON_POINTS
    return 0


def grade_points(grade: str) -> int:
    return GRADE_POINTS.get((grade or "").upper(), UNRATED_POINTS)


def promise_points(broken_promises: int) -> int:
    return min(max(broken_promises, 0) * BROKEN_PROMISE_POINTS, BROKEN_PROMISE_CAP)


def score_parts(facts: WorklistFacts) -> ScoreParts:
    return ScoreParts(amount_points(facts.overdue_base_minor), age_points(facts.max_days_overdue),
                      grade_points(facts.grade), promise_points(facts.broken_promises))


def score(facts: WorklistFacts) -> int:
    return score_parts(facts).total


def rank_key(facts: WorklistFacts) -> tuple[int, int, str]:
    """The sort key of ``rank``: highest score first; ties to the larger overdue amount, then the customer code."""
    return (-score(facts), -facts.overdue_base_minor, facts.code)


def rank(rows: list[WorklistFacts]) -> list[WorklistFacts]:
    """Highest score first; ties to the larger overdue amount, then the customer code."""
    return sorted(rows, key=rank_key)
