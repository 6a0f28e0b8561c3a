"""Writes balanced journal entries (one, or many for the bulk path); the only place that inserts journal rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db import connection
from django.utils import timezone

from arms.common.bulk import Table, reserve_ids
from arms.domain.journal import AccountCode, Line, balanced
from arms.ledger.models import Account, JournalEntry, JournalLine
from arms.ledger.seal import WrittenEntry, entry_digest, seal_of_written

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


def journal_write_many(specs: list[EntrySpec], *, actor: Actor | None = None) -> list[WrittenEntry]:
    """``journal_write`` for many entries (the bulk path): the same rows, each entry balanced, in two COPYs
    (PostgreSQL; ``executemany`` on SQLite) through ``arms.common.bulk.Table``, their ids taken from the sequence
    first. The database's triggers run as for any insert (lines only with their entry, balanced at commit).
    Returns each entry's id and ``seal``, what ``journal_seals`` needs."""
    if not specs:
        return []
    created_by = cast("User", actor).pk if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    ids = account_ids()
    entry_ids = reserve_ids(JournalEntry, len(specs))
    entry_rows: list[tuple[Any, ...]] = []
    line_rows: list[tuple[int, int, int, int, int]] = []
    written: list[WrittenEntry] = []
    day = connection.ops.adapt_datefield_value
    for entry_id, spec in zip(entry_ids, specs, strict=True):
        documents: dict[str, Any] = {name: spec.sources.get(name) for name in _SOURCES}
        if set(spec.sources) - set(_SOURCES):
            raise TypeError(f"journal entry sources are {_SOURCES}, not {sorted(set(spec.sources) - set(_SOURCES))}")
        document_ids = [document.pk if document is not None else None for document in documents.values()]
        currency = next((documents[name].currency for name in ("invoice", "credit_note", "payment")
                         if documents[name] is not None), None)
        lines = balanced(spec.lines)
        company_id, customer_id = spec.company.pk, spec.customer.pk
        entry_rows.append((entry_id, company_id, customer_id, day(spec.on), str(spec.kind), spec.memo[:300],
                           created_by, *document_ids))
        line_rows.extend((entry_id, ids[line.account], customer_id, line.debit, line.credit) for line in lines)
        written.append(WrittenEntry(entry_id, entry_digest(
            entry_id=entry_id, date=spec.on.isoformat(), kind=str(spec.kind), company_id=company_id,
            customer_id=customer_id, invoice_id=document_ids[0], credit_note_id=document_ids[1],
            payment_id=document_ids[2], allocation_id=document_ids[3], currency=currency,
            lines=[(str(line.account), customer_id, line.debit, line.credit) for line in lines])))
    Table(JournalEntry, ["id", "company_id", "customer_id", "date", "kind", "memo", "created_by_id",
                         *(f"{name}_id" for name in _SOURCES)], now).write(entry_rows)
    Table(JournalLine, ["entry_id", "account_id", "customer_id", "debit_minor", "credit_minor"], now).write(line_rows)
    return written


#: the documents an entry may name (``EntrySpec.sources``), in the order of ``entry_digest``'s arguments
_SOURCES = ("invoice", "credit_note", "payment", "allocation")


def entry_lines(entry: JournalEntry) -> list[Line]:
    codes = {v: k for k, v in account_ids().items()}

    return [
        Line(AccountCode(codes[account_id]), debit=debit, credit=credit)
        for account_id, debit, credit in entry.lines.values_list("account_id", "debit_minor", "credit_minor")
    ]
