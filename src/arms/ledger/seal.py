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

Entries posted before seals existed are *legacy*: the data migration ``0005_journal_legacy_tamper`` wrote one
``journal_sealing_started`` event with their number and the last legacy id, so verify says how many there
are and finds one added among them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce

from arms.audit.actions import AuditAction
from arms.audit.models import AuditBatchEvent, AuditEvent
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


@dataclass(frozen=True)
class WrittenEntry:
    """An entry the bulk path wrote (``journal_write_many``): its id and seal, all ``journal_seals`` reads."""

    pk: int
    seal: str


def journal_seals(*entries: JournalEntry | WrittenEntry) -> dict[str, dict[str, str]]:
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


def _digests_of(entry_ids: list[int]) -> dict[int, str]:
    """Digest of each of these entries recomputed from its rows as they are now (absent entries are left out)."""
    lines: dict[int, list] = {entry_id: [] for entry_id in entry_ids}
    for entry_id, *line in (
        JournalLine.objects.filter(entry_id__in=entry_ids)
        .values_list("entry_id", "account__code", "customer_id", "debit_minor", "credit_minor")
    ):
        lines[entry_id].append(line)
    return {
        entry_id: entry_digest(
            entry_id=entry_id, date=on.isoformat(), kind=kind, company_id=company, customer_id=customer,
            invoice_id=invoice, credit_note_id=note, payment_id=payment, allocation_id=allocation, currency=currency,
            lines=lines[entry_id],
        )
        for entry_id, on, kind, company, customer, invoice, note, payment, allocation, currency in (
            JournalEntry.objects.filter(id__in=entry_ids)
            .annotate(doc_currency=Coalesce("invoice__currency", "credit_note__currency", "payment__currency"))
            .values_list("id", "date", "kind", "company_id", "customer_id", "invoice_id", "credit_note_id",
                         "payment_id", "allocation_id", "doc_currency")
        )
    }


def _sealed_batches(batch_size: int) -> Iterator[list[tuple[int, str, str]]]:
    """(entry id, sealed digest, the event that sealed it) from every event that carries journal seals, in the
    global chain and in the sub-chains of bulk writes (``AuditBatchEvent``), a batch at a time."""
    batch: list[tuple[int, str, str]] = []
    sources = (
        ((f"audit event {seq}", seals) for seq, seals in
         AuditEvent.objects.filter(seals__isnull=False).order_by("seq").values_list("seq", "seals")
         .iterator(chunk_size=2000)),
        ((f"audit batch {batch_id} event {position}", seals) for batch_id, position, seals in
         AuditBatchEvent.objects.filter(seals__isnull=False).order_by("batch_id", "position")
         .values_list("batch_id", "position", "seals").iterator(chunk_size=2000)),
    )
    for source in sources:
        for label, seals in source:
            for entry_id, digest in ((seals or {}).get(SEAL_KEY) or {}).items():
                batch.append((int(entry_id), digest, label))
            if len(batch) >= batch_size:
                yield batch
                batch = []
    if batch:
        yield batch


def journal_seals_verify(*, limit: int = 50, batch_size: int = 5000) -> SealReport:
    """Recompute every sealed journal entry and compare it with its seal; name every entry that no event sealed.
    Registered on ``audit.verify``. Memory stays small whatever the journal's size: seals are checked a batch
    at a time and the entries seen are one byte each."""
    legacy_last, legacy_count = 0, 0
    for after in AuditEvent.objects.filter(action=LEGACY_ACTION).order_by("seq").values_list("after", flat=True):
        legacy_last, legacy_count = int(after["last_legacy_entry"]), int(after["legacy_entries"])
    last_id = JournalEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sealed = bytearray(last_id + 1)
    problems: list[str] = []
    found = 0

    def note(problem: str) -> None:
        nonlocal found
        found += 1
        if len(problems) < limit:
            problems.append(problem)

    matched = 0
    for batch in _sealed_batches(batch_size):
        current = _digests_of([entry_id for entry_id, _digest, _seq in batch])
        for entry_id, digest, seq in batch:
            now = current.get(entry_id)
            if now is None:
                note(f"journal entry {entry_id} (sealed in {seq}) is missing")
                continue
            sealed[entry_id] = 1
            if now != digest:
                note(f"journal entry {entry_id} differs from its seal in {seq}: "
                                "its lines or documents were changed after posting")
            else:
                matched += 1
    legacy_seen, in_legacy_range = 0, 0
    for entry_id in JournalEntry.objects.order_by("id").values_list("id", flat=True).iterator(chunk_size=20000):
        if entry_id <= legacy_last:
            in_legacy_range += 1
            legacy_seen += not sealed[entry_id]
        elif not sealed[entry_id]:
            note(f"journal entry {entry_id} is sealed by no audit event: written behind the services")
    orphans = (
        JournalLine.objects.filter(~Exists(JournalEntry.objects.filter(id=OuterRef("entry_id"))))
        .values_list("entry_id", flat=True).distinct().order_by("entry_id")[:limit]
    )
    for entry_id in orphans:
        note(f"journal lines of entry {entry_id} have no entry")
    if in_legacy_range != legacy_count:
        note(f"{in_legacy_range} entries up to {legacy_last}, but {legacy_count} were recorded when "
                        "sealing started: entries were added or removed among the legacy ones")
    summary = f"{matched} journal entries match their seals"
    if legacy_count:
        summary += (f"; {legacy_seen} legacy entries (up to id {legacy_last}) were posted before line hashing "
                    "and are covered only by the ledger check")
    more = (f"... and {found - limit} more",) if found > limit else ()
    return SealReport("journal", summary, tuple(problems) + more)
