"""Writes balanced journal entries (one, or many for the bulk path); the only place that inserts journal rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db import connection

from arms.domain.journal import AccountCode, Line, balanced
from arms.ledger.models import Account, JournalEntry, JournalLine
from arms.ledger.seal import seal_of_written

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor
    from arms.customers.models import Company, Customer


_account_ids: dict[str, dict[str, int]] = {}


def account_ids() -> dict[str, int]:
    key = connection.settings_dict["NAME"]
    if key not in _account_ids:
        _account_ids[key] = dict(Account.objects.values_list("code", "id"))
    return _account_ids[key]


def journal_write(*, company: Company, customer: Customer, on: date, kind: str, lines: list[Line],
                  actor: Actor | None = None, memo: str = "", **sources: Any) -> JournalEntry:
    """Insert the entry and all its lines at once (the database refuses lines added later). The returned
    entry carries ``seal``, the digest of what was written: pass ``journal_seals(entry)`` to the change's
    ``audit_record`` (arms.ledger.seal; ``arms audit verify`` recomputes it)."""
    lines = balanced(lines)
    entry = JournalEntry.objects.create(
        company=company, customer=customer, date=on, kind=kind, memo=memo[:300],
        # an authenticated actor is a User (an anonymous one, or None, is the system)
        created_by=cast("User", actor) if getattr(actor, "is_authenticated", False) else None, **sources,
    )
    ids = account_ids()
    JournalLine.objects.bulk_create(
        JournalLine(entry=entry, account_id=ids[line.account], customer=customer, debit_minor=line.debit,
                    credit_minor=line.credit)
        for line in lines
    )
    entry.seal = seal_of_written(  # type: ignore[attr-defined]  # a digest carried on the instance, not a field
        entry, [(str(line.account), customer.pk, line.debit, line.credit) for line in lines]
    )
    return entry


@dataclass(frozen=True)
class EntrySpec:
    """One entry for ``journal_write_many``: what ``journal_write`` takes. ``sources`` are the entry's documents
    (``invoice=``, ``payment=``, ``allocation=``) as saved instances."""

    company: Company
    customer: Customer
    on: date
    kind: str
    lines: list[Line]
    memo: str = ""
    sources: dict[str, Any] = field(default_factory=dict)


def journal_write_many(specs: list[EntrySpec], *, actor: Actor | None = None) -> list[JournalEntry]:
    """``journal_write`` for many entries in two inserts (the bulk path): the same rows, each entry balanced, each
    returned entry carrying its ``seal``."""
    if not specs:
        return []
    created_by = cast("User", actor) if getattr(actor, "is_authenticated", False) else None
    balanced_lines = [balanced(spec.lines) for spec in specs]
    entries = JournalEntry.objects.bulk_create(
        [JournalEntry(company=spec.company, customer=spec.customer, date=spec.on, kind=spec.kind,
                      memo=spec.memo[:300], created_by=created_by, **spec.sources) for spec in specs],
        batch_size=2000,
    )
    ids = account_ids()
    JournalLine.objects.bulk_create(
        (JournalLine(entry=entry, account_id=ids[line.account], customer=spec.customer, debit_minor=line.debit,
                     credit_minor=line.credit)
         for entry, spec, lines in zip(entries, specs, balanced_lines, strict=True) for line in lines),
        batch_size=5000,
    )
    for entry, spec, lines in zip(entries, specs, balanced_lines, strict=True):
        entry.seal = seal_of_written(  # type: ignore[attr-defined]  # a digest carried on the instance
            entry, [(str(line.account), spec.customer.pk, line.debit, line.credit) for line in lines]
        )
    return entries


def entry_lines(entry: JournalEntry) -> list[Line]:
    codes = {v: k for k, v in account_ids().items()}

    return [
        Line(AccountCode(codes[account_id]), debit=debit, credit=credit)
        for account_id, debit, credit in entry.lines.values_list("account_id", "debit_minor", "credit_minor")
    ]
