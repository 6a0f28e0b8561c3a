"""Late-payment interest (逾期利息) and liquidated damages (违约金) as a contract's clause defines them.

Pure Python on integers and Decimals. The clause gives a rate per day (万分之五 = 0.0005) charged on the
overdue amount for every day after the due date, and/or a one-off penalty as a fraction of the overdue
amount (0.05 = 5%). Interest is simple (never compounded) and counted on the amount still open: a partial
payment lowers what interest runs on from then on, which the caller reflects by passing today's open amount.
Each part is rounded half up to the minor unit on its own, so the total is exactly interest + penalty.

A tiered clause (阶梯式逾期利率) gives rates that step up with days late: ``[(1, 0.0003), (30, 0.0005),
(90, 0.001)]`` charges days 1..29 at 0.0003, days 30..89 at 0.0005 and day 90 on at 0.001. Each day is charged
at the rate of the tier it falls in; the parts are summed exactly and rounded half up once. Days before the first
tier are charged nothing (the tiered clause replaces the single rate).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class Tier:
    """One step of a tiered clause: from this day late (1 = the day after the due date) at this daily rate."""

    from_day: int
    daily_rate: Decimal


@dataclass(frozen=True, slots=True)
class TierPart:
    """The days of one tier actually charged and what they cost (exact, before rounding)."""

    from_day: int
    to_day: int | None  # the last day of the tier, None for the open-ended last one
    daily_rate: Decimal
    days: int
    interest: Decimal


def tiers_of(raw: Iterable[Mapping[str, Any] | Tier] | None) -> tuple[Tier, ...]:
    """Tiers from their stored form (``[{"from_day": 1, "daily_rate": "0.0003"}, ...]``), checked: from_day at
    least 1 and strictly ascending, rates not negative."""
    tiers = tuple(t if isinstance(t, Tier) else Tier(int(t["from_day"]), Decimal(str(t["daily_rate"])))
                  for t in raw or ())
    previous = 0
    for tier in tiers:
        if tier.from_day < 1 or tier.from_day <= previous:
            raise ValueError("tiers must start on day 1 or later and ascend strictly")
        if tier.daily_rate < 0:
            raise ValueError("rates must not be negative")
        previous = tier.from_day
    return tiers


def tier_parts(tiers: Sequence[Tier], days: int) -> list[TierPart]:
    """How ``days`` late split over the tiers (the amount is applied by the caller: interest is per 1 minor unit)."""
    parts = []
    for index, tier in enumerate(tiers):
        nxt = tiers[index + 1].from_day if index + 1 < len(tiers) else None
        last = nxt - 1 if nxt is not None else None
        charged = max(0, min(days, last if last is not None else days) - tier.from_day + 1)
        parts.append(TierPart(tier.from_day, last, tier.daily_rate, charged, tier.daily_rate * charged))
    return parts


@dataclass(frozen=True, slots=True)
class LateCharge:
    """What a customer owes on top of an overdue amount on one date."""

    days_overdue: int
    interest_minor: int
    penalty_minor: int

    @property
    def total_minor(self) -> int:
        return self.interest_minor + self.penalty_minor


NO_CHARGE = LateCharge(0, 0, 0)


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def late_interest(*, amount_minor: int, due_date: date, as_of: date, daily_rate: Decimal = Decimal(0),
                  penalty_rate: Decimal = Decimal(0), grace_days: int = 0,
                  tiers: Iterable[Mapping[str, Any] | Tier] | None = None) -> LateCharge:
    """Interest and penalty on ``amount_minor`` overdue since ``due_date``, as of ``as_of``.

    Days overdue = ``as_of - due_date`` (paid on the due date is on time). Within ``grace_days`` nothing is
    charged; after them, interest runs from the day after the due date (the grace period is not free once
    it has passed, as most 逾期付款 clauses read). The penalty is charged once the item is overdue at all.
    With ``tiers`` (not empty), each day is charged at its tier's rate and ``daily_rate`` is not used.
    """
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise TypeError("amount_minor must be integer minor units")
    if amount_minor < 0:
        raise ValueError("amount_minor must not be negative")
    daily_rate, penalty_rate = Decimal(daily_rate), Decimal(penalty_rate)
    if daily_rate < 0 or penalty_rate < 0:
        raise ValueError("rates must not be negative")
    if grace_days < 0:
        raise ValueError("grace_days must not be negative")
    steps = tiers_of(tiers)
    days = (as_of - due_date).days
    if days <= 0:
        return NO_CHARGE
    if days <= grace_days or amount_minor == 0:
        return LateCharge(days, 0, 0)
    amount = Decimal(amount_minor)
    if steps:
        interest = sum((amount * part.interest for part in tier_parts(steps, days)), Decimal(0))
    else:
        interest = amount * daily_rate * days
    return LateCharge(days, _round(interest), _round(amount * penalty_rate))


def daily_rate_text(daily_rate: Decimal) -> str:
    """0.0005 -> "0.05%/day"; the letters print the rate as the contract states it."""
    percent = (Decimal(daily_rate) * 100).normalize()
    return f"{percent:f}%"
