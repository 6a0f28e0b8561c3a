"""Late-payment interest (逾期利息) and liquidated damages (违约金) as a contract's clause defines them.

Pure Python on integers and Decimals. The clause gives a rate per day (万分之五 = 0.0005) charged on the
overdue amount for every day after the due date, and/or a one-off penalty as a fraction of the overdue
amount (0.05 = 5%). Interest is simple (never compounded) and counted on the amount still open: a partial
payment lowers what interest runs on from then on, which the caller reflects by passing today's open amount.
Each part is rounded half up to the minor unit on its own, so the total is exactly interest + penalty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


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
                  penalty_rate: Decimal = Decimal(0), grace_days: int = 0) -> LateCharge:
    """Interest and penalty on ``amount_minor`` overdue since ``due_date``, as of ``as_of``.

    Days overdue = ``as_of - due_date`` (paid on the due date is on time). Within ``grace_days`` nothing is
    charged; after them, interest runs from the day after the due date (the grace period is not free once
    it has passed, as most 逾期付款 clauses read). The penalty is charged once the item is overdue at all.
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
    days = (as_of - due_date).days
    if days <= 0:
        return NO_CHARGE
    if days <= grace_days or amount_minor == 0:
        return LateCharge(days, 0, 0)
    amount = Decimal(amount_minor)
    return LateCharge(days, _round(amount * daily_rate * days), _round(amount * penalty_rate))


def daily_rate_text(daily_rate: Decimal) -> str:
    """0.0005 -> "0.05%/day"; the letters print the rate as the contract states it."""
    percent = (Decimal(daily_rate) * 100).normalize()
    return f"{percent:f}%"
