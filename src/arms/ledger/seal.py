"""Seals: the SHA-256 of each journal entry's lines, written into the audit event of the change that posts it.

The database refuses to update, delete, truncate or add to posted journal rows (migrations 0002/0003), but a
superuser can disable triggers. The seal is the evidence that survives that: ``arms audit verify``
recomputes every entry from its rows and compares it with the seal its event carries (the event's own hash
covers the seal, and the chain covers the event). It finds lines altered, deleted or added, an entry removed,
and an entry that no event sealed (written behind the services' back).

Canonical content of one entry (JSON, sorted keys, no spaces): the entry's id, date, kind, company,
customer, its documents (invoice, credit note, payment, allocation; null when absent), the currency of the
document (the lines themselves are in the base currency), and its lines sorted as
``[account code, customer id, debit, credit]``.

Entries posted before seals existed are *legacy*: the data migration ``0004_journal_legacy_tamper`` wrote one
``journal_sealing_started`` event with their number and the last legacy id, so verify says how many there
are and finds one added among them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator

from django.db.models import Q
from django.db.models.functions import Coalesce

from arms.audit.actions import AuditAction
from arms.audit.models import AuditEvent
from arms.audit.services import SealReport
from arms.ledger.models import JournalEntry, JournalLine

SEAL_KEY = "ledger.journalentry"
LEGACY_ACTION = AuditAction.JOURNAL_SEALING_STARTED


def entry_digest(*, entry_id: int, date: str, kind: str, company_id: int, customer_id: int,
                 invoice_id: int | None, credit_note_id: int | None, payment_id: int | None,
                 allocation_id: int | None, currency: str | None,
                 lines: Iterable[tuple[str, int, int, int]]) -> str:
    content = {
        "entry": entry_id, "date": date, "kind": kind, "company": company_id, "customer": customer_id,
        "invoice": invoice_id, "credit_note": credit_note_id, "payment": payment_id,
        "allocation": allocation_id, "currency": currency,
        "lines": sorted([str(code), int(customer), int(debit), int(credit)] for code, customer, debit, credit in lines),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def journal_seals(*entries: JournalEntry) -> dict[str, dict[str, str]]:
    """The seals to pass to ``audit_record`` for entries just written by ``journal_write``."""
    return {SEAL_KEY: {str(entry.pk): entry.seal for entry in entries}} if entries else {}


def _document_currency(entry: JournalEntry) -> str | None:
    for document in (entry.invoice, entry.credit_note, entry.payment):
        if document is not None:
            return document.currency
    return None


def seal_of_written(entry: JournalEntry, lines: Iterable[tuple[str, int, int, int]]) -> str:
    """The seal of an entry ``journal_write`` has just inserted, from what it inserted."""
    return entry_digest(
        entry_id=entry.pk, date=entry.date.isoformat(), kind=str(entry.kind), company_id=entry.company_id,
        customer_id=entry.customer_id, invoice_id=entry.invoice_id, credit_note_id=entry.credit_note_id,
        payment_id=entry.payment_id, allocation_id=entry.allocation_id, currency=_document_currency(entry),
        lines=lines,
    )


def _stored_digests() -> Iterator[tuple[int, str]]:
    """(entry id, digest) recomputed from the rows as they are now, in id order, streamed."""
    entries = (
        JournalEntry.objects.order_by("id")
        .annotate(doc_currency=Coalesce("invoice__currency", "credit_note__currency", "payment__currency"))
        .values_list("id", "date", "kind", "company_id", "customer_id", "invoice_id", "credit_note_id",
                     "payment_id", "allocation_id", "doc_currency")
        .iterator(chunk_size=5000)
    )
    lines = (
        JournalLine.objects.order_by("entry_id", "id")
        .values_list("entry_id", "account__code", "customer_id", "debit_minor", "credit_minor")
        .iterator(chunk_size=5000)
    )
    pending = next(lines, None)
    for entry_id, on, kind, company, customer, invoice, note, payment, allocation, currency in entries:
        own = []
        while pending is not None and pending[0] < entry_id:
            yield pending[0], "orphan"  # a line whose entry is gone
            pending = next(lines, None)
        while pending is not None and pending[0] == entry_id:
            own.append(pending[1:])
            pending = next(lines, None)
        yield entry_id, entry_digest(
            entry_id=entry_id, date=on.isoformat(), kind=kind, company_id=company, customer_id=customer,
            invoice_id=invoice, credit_note_id=note, payment_id=payment, allocation_id=allocation, currency=currency,
            lines=own,
        )
    while pending is not None:
        yield pending[0], "orphan"
        pending = next(lines, None)


def journal_seals_verify(*, limit: int = 50) -> SealReport:
    """Recompute every journal entry and compare it with its seal. Registered on ``audit.verify``."""
    sealed: dict[int, tuple[str, int]] = {}
    legacy_last, legacy_count = 0, 0
    for seq, action, seals, after in (
        AuditEvent.objects.filter(Q(seals__isnull=False) | Q(action=LEGACY_ACTION))
        .values_list("seq", "action", "seals", "after").order_by("seq").iterator(chunk_size=2000)
    ):
        if action == LEGACY_ACTION and after:
            legacy_last, legacy_count = int(after["last_legacy_entry"]), int(after["legacy_entries"])
        for entry_id, digest in ((seals or {}).get(SEAL_KEY) or {}).items():
            sealed[int(entry_id)] = (digest, seq)
    problems: list[str] = []
    matched, legacy_seen, in_legacy_range, orphans = 0, 0, 0, set()
    for entry_id, digest in _stored_digests():
        if digest == "orphan":
            orphans.add(entry_id)
            continue
        in_legacy_range += entry_id <= legacy_last
        seal = sealed.pop(entry_id, None)
        if seal is None:
            if entry_id <= legacy_last:
                legacy_seen += 1
            else:
                problems.append(f"journal entry {entry_id} is sealed by no audit event: written behind the services")
        elif seal[0] != digest:
            problems.append(f"journal entry {entry_id} differs from its seal in audit event {seal[1]}: "
                            "its lines or documents were changed after posting")
        else:
            matched += 1
    problems.extend(f"journal entry {entry_id} (sealed in audit event {seq}) is missing"
                    for entry_id, (_digest, seq) in sorted(sealed.items()))
    problems.extend(f"journal lines of entry {entry_id} have no entry" for entry_id in sorted(orphans))
    if in_legacy_range != legacy_count:
        problems.append(f"{in_legacy_range} entries up to {legacy_last}, but {legacy_count} were recorded when "
                        "sealing started: entries were added or removed among the legacy ones")
    summary = f"{matched} journal entries match their seals"
    if legacy_count:
        summary += (f"; {legacy_seen} legacy entries (up to id {legacy_last}) were posted before line hashing "
                    "and are covered only by the ledger check")
    return SealReport("journal", summary, tuple(problems[:limit]) + (
        (f"... and {len(problems) - limit} more",) if len(problems) > limit else ()))
