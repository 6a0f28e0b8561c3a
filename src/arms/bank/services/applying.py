"""Applying statement lines (核销): a match or a clerk's decision becomes payments and allocations in the ledger.

Every line is applied at most once: the line row is locked (``arms.common.locks``) and its status checked under the
lock, so two workers applying the same line apply it once and the second is refused with ``LineAlreadyApplied``.
Money moves only through the ledger's services (``payment_record`` with the bank charge on its own 6603 journal
line, ``payment_allocate``); what a share leaves unallocated stays unapplied cash (预收 2203) with a task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from arms.bank.enums import IgnoredKind
    from arms.bank.models import PayerAlias, StatementLine
    from arms.common.typing import Actor
    from arms.ledger.models import Payment


@dataclass(frozen=True)
class Share:
    """One customer's part of a line.

    ``allocations`` are (invoice id, amount in minor units) settled from the cash; ``charge_minor`` is a bank charge
    the payer deducted, which settles the last allocated invoice in full and is booked to 6603 on its own journal
    line. What the share leaves after its allocations stays unapplied cash (预收 2203) with a task.
    """

    customer_id: int
    allocations: tuple[tuple[int, int], ...] = ()
    charge_minor: int = 0
    amount_minor: int | None = None  # the cash this share takes of the line; None: the whole line (one share)


def apply_match(*, actor: Actor, line: StatementLine) -> list[Payment]:
    """Apply the line's stored match without a human (status AUTO). Used by ``match_lines`` at or above the
    threshold only; learns nothing (only a clerk's confirmation teaches)."""
    raise NotImplementedError


def line_apply(
    *, actor: Actor, line: StatementLine, shares: list[Share], note: str = "", learn: bool = True
) -> list[Payment]:
    """A clerk's decision (accept as edited, or split across customers): one payment per share, its allocations,
    its charge; status MANUAL. With ``learn``, remembers the payer account and name for the customer."""
    raise NotImplementedError


def line_accept(*, actor: Actor, line: StatementLine) -> list[Payment]:
    """Apply the stored suggestion unchanged (status MANUAL) and learn the payer."""
    raise NotImplementedError


def line_ignore(*, actor: Actor, line: StatementLine, kind: IgnoredKind | str, note: str = "") -> None:
    """Set the line aside as not a customer receipt (fee, interest, refund, own transfer, other)."""
    raise NotImplementedError


def line_reset(*, actor: Actor, line: StatementLine, reason: str) -> None:
    """Undo: reverse the line's payment(s) through the ledger (allocations first) and make the line NEW again."""
    raise NotImplementedError


def alias_remove(*, actor: Actor, alias: PayerAlias) -> None:
    """Forget a learned payer; what was applied stays applied."""
    raise NotImplementedError
