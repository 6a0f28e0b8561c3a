"""Early-payment discounts (现金折扣, "2/10, net 30"): pay within 10 days and 2% of the gross is forgiven.

The terms are fixed on the invoice when it is posted (basis points of the gross and the last day of the window);
the rules here say how much a discount is, when it is earned and how it reads. Plain Python on ints and dates.

The rule for earning it: money received on or before the discount date whose allocation leaves the invoice open for
no more than its discount earns exactly what is left open (never more than the discount; a partial payment inside
the window earns nothing until a payment settles the rest). Paying the gross in full earns nothing: nothing is left.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from arms.domain.money import divide_half_up

#: basis points in a whole
WHOLE_BP = 10_000


def discount_amount(gross: int, basis_points: int) -> int:
    """The discount on ``gross`` at ``basis_points`` (200 = 2%), rounded half up."""
    if basis_points <= 0 or gross <= 0:
        return 0
    return divide_half_up(gross * basis_points, WHOLE_BP)


def discount_until(issue_date: date, due_date: date, days: int) -> date:
    """The last day of the window: ``days`` after the issue date, never after the due date."""
    return min(issue_date + timedelta(days=max(days, 0)), due_date)


def discount_open(*, gross: int, basis_points: int, until: date | None, amount_open: int, on: date) -> int:
    """What a payment received ``on`` still gets off an invoice open for ``amount_open``: its discount while the
    window is open and the discount is less than what is open, else 0."""
    if until is None or on > until:
        return 0
    full = discount_amount(gross, basis_points)
    return full if 0 < full < amount_open else 0


def discount_earned(*, gross: int, basis_points: int, until: date | None, received: date, open_after: int) -> int:
    """The discount to grant after an allocation of money ``received`` on that day left ``open_after`` open."""
    if until is None or received > until or open_after <= 0:
        return 0
    full = discount_amount(gross, basis_points)
    return open_after if open_after <= full else 0


def percent_text(basis_points: int) -> str:
    """200 -> "2", 150 -> "1.5" (the "2" of "2/10")."""
    value = Decimal(basis_points) / 100
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f").rstrip("0")

