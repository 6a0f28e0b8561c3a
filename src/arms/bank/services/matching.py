"""Matching statement lines (认款): who paid and for what, with a confidence, stored on the line.

``load_book`` reads the company's customers (names, codes, USCC, learned payer accounts and third parties) and its
open items (open amounts, contract and VAT invoice numbers) in a few set-based queries into the pure matcher's
``Book`` (``arms.domain.cashapp``); ``match_lines`` runs the matcher over the lines, stores what it decided on each
line (status, confidence, customer, match, reasons) and, with ``auto``, applies every match at or above the
company's ``CashSettings.auto_threshold`` through ``applying.apply_match``. Never below it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from arms.domain.cashapp import Book

if TYPE_CHECKING:
    from arms.bank.models import BankAccount
    from arms.common.typing import Actor
    from arms.customers.models import Company


@dataclass(frozen=True)
class MatchRun:
    """What one matching run did, line by line counted once."""

    lines: int
    auto_applied: int
    suggested: int
    unmatched: int
    ignored: int


def load_book(company: Company) -> Book:
    """The company's customers and open items as the matcher's ``Book``: a few queries, none per customer."""
    raise NotImplementedError


def match_lines(
    *,
    actor: Actor,
    line_ids: Iterable[int] | None = None,
    account: BankAccount | None = None,
    on: date | None = None,
    auto: bool = True,
) -> MatchRun:
    """Match the NEW lines (and, with ``line_ids``, the given lines that are still open: new, suggested,
    unmatched), optionally only of ``account`` and booked on ``on``. Stores status, confidence, customer, match
    and reasons on each line; with ``auto`` applies every match at or above the threshold."""
    raise NotImplementedError
