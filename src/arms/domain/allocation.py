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


def plan_oldest_first(available: int, items: list[OpenItem]) -> list[AllocationLine]:
    """Settle the oldest due items first (due date, then issue date, then id) until ``available`` runs out.

    The result never exceeds ``available`` in total, nor any item's open amount.
    """
    if available < 0:
        raise ValueError("available amount cannot be negative")
    lines: list[AllocationLine] = []
    left = available
    for item in sorted(items, key=lambda i: (i.due_date, i.issue_date, i.id)):
        if left == 0:
            break
        if item.amount_open <= 0:
            continue
        take = min(left, item.amount_open)
        lines.append(AllocationLine(item.id, take))
        left -= take
    return lines
