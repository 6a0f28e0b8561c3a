"""Which step of the dunning ladder (催收阶梯) an open item is due for. Pure Python.

A ladder is a list of stages, each ``offset_days`` relative to the item's due date (-7 = a week before it,
+30 = a month after) and owned by one escalation level: sales → finance → credit/legal. An item is due for
the *highest* stage whose offset it has reached, provided that stage is above every stage it already went
through; stages passed over on the way (an item first seen at +20 gets the +15 call, not the -7, +1 and +15
all at once) are recorded as skipped. The run's SQL selects the same items set-based; this module is the rule
it implements and the tests' oracle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

#: escalation levels in the order a claim climbs them
LEVELS = ("sales", "finance", "credit_legal")


@dataclass(frozen=True, slots=True)
class StageRule:
    code: str
    offset_days: int
    level: str = "sales"


@dataclass(frozen=True, slots=True)
class StageChoice:
    """The stage to act on (None: nothing new is due) and the lower stages passed over to reach it."""

    stage: StageRule | None
    skipped: tuple[StageRule, ...] = ()


NOTHING_DUE = StageChoice(None, ())


def stage_due(*, days_past_due: int, stages: Sequence[StageRule], reached_offset: int | None) -> StageChoice:
    """The stage due for an item ``days_past_due`` after its due date (negative: before it).

    ``reached_offset`` is the highest offset the item already went through (acted on or skipped), None if none.
    """
    floor = reached_offset
    candidates = sorted(
        (s for s in stages if s.offset_days <= days_past_due and (floor is None or s.offset_days > floor)),
        key=lambda s: s.offset_days,
    )
    if not candidates:
        return NOTHING_DUE
    return StageChoice(candidates[-1], tuple(candidates[:-1]))


def highest_reached(*, days_past_due: int, stages: Sequence[StageRule]) -> StageRule | None:
    """The highest stage an item ``days_past_due`` after its due date has reached, acted on or not."""
    reached = [s for s in stages if s.offset_days <= days_past_due]
    return max(reached, key=lambda s: s.offset_days) if reached else None


def ladder_problems(stages: Sequence[StageRule]) -> list[str]:
    """What is wrong with a ladder, as (field, problem) codes; [] for a sound one.

    Offsets and codes are unique, levels are known, and the level never steps down as the offset rises
    (escalation runs sales → finance → credit/legal, never back).
    """
    problems = []
    offsets = [s.offset_days for s in stages]
    if len(set(offsets)) != len(offsets):
        problems.append("duplicate_offset")
    codes = [s.code for s in stages]
    if len(set(codes)) != len(codes):
        problems.append("duplicate_code")
    if any(s.level not in LEVELS for s in stages):
        problems.append("unknown_level")
        return problems
    ranks = [LEVELS.index(s.level) for s in sorted(stages, key=lambda s: s.offset_days)]
    if any(b < a for a, b in pairwise(ranks)):
        problems.append("level_steps_down")
    return problems


DEFAULT_LADDER = (
    StageRule("pre_due", -7, "sales"),
    StageRule("reminder", 1, "sales"),
    StageRule("call", 15, "sales"),
    StageRule("letter", 30, "finance"),
    StageRule("stop_supply", 60, "finance"),
    StageRule("lawyer_letter", 90, "credit_legal"),
    StageRule("handoff", 180, "credit_legal"),
)
