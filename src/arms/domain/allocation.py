"""Allocation (核销) planning: which open items a payment settles, and how much of each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class OpenItem:
    id: int
    due_date: date
    issue_date: date
    amount_open: int


@dataclass(frozen=True, slots=True)
class AllocationLine:
    item_id: int
    amount: int


def _age(item: OpenItem) -> tuple[date, date, int]:
    return (item.due_date, item.issue_date, item.id)


def plan_oldest_first(available: int, items: list[OpenItem]) -> list[AllocationLine]:
    """Settle the oldest due items first (due date, then issue date, then id) until ``available`` runs out.

    The result never exceeds ``available`` in total, nor any item's open amount.
    """
    if available < 0:
        raise ValueError("available amount cannot be negative")
    lines: list[AllocationLine] = []
    left = available
    for item in sorted(items, key=_age):
        if left == 0:
            break
        if item.amount_open <= 0:
            continue
        take = min(left, item.amount_open)
        lines.append(AllocationLine(item.id, take))
        left -= take
    return lines


def plan_exact_or_oldest_first(available: int, items: list[OpenItem]) -> list[AllocationLine]:
    """An item whose open amount equals ``available`` exactly is what the money pays: it is settled alone (the oldest
    of several equal ones). Otherwise ``plan_oldest_first``.

    A customer who pays 30,000.00 while owing 10,000.00 (older) and 30,000.00 (newer) paid the second invoice;
    oldest first would settle the first in full and leave both open.
    """
    if available > 0:
        exact = [item for item in items if item.amount_open == available]
        if exact:
            return [AllocationLine(min(exact, key=_age).id, available)]
    return plan_oldest_first(available, items)
