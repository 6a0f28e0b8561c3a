"""audit_record appends to the chain; audit_verify recomputes it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from arms.audit.actions import ACTION_CODES, AuditAction
from arms.audit.models import GENESIS_HASH, AuditBatch, AuditBatchEvent, AuditEvent, AuditHead
from arms.common import hooks
from arms.common.actors import user_or_none
from arms.common.bulk import Table
from arms.common.locks import locked_values

if TYPE_CHECKING:
    from datetime import datetime

    from django.db.models import Model

    from arms.common.typing import Actor, JsonDict


@dataclass(frozen=True)
class ExternalActor:
    """Someone outside the company acting through ARMS (a customer's contact in the portal). The event records
    who and from which address in ``actor_name`` (``portal:<name>@<address>``), so the chain covers both; the
    event's ``actor`` (a user) stays empty."""

    kind: str
    name: str
    address: str = ""

    @property
    def audit_name(self) -> str:
        text = f"{self.kind}:{self.name}"
        if self.address:
            text += f"@{self.address}"
        return text[:150]


def canonical_json(value: Any) -> Any:
    """``value`` as a JSON column gives it back: dates, Decimals (anything JSON lacks) become their ``str``,
    keys are sorted. The audit chain hashes exactly this form of ``before``/``after``/``seals``, so what is
    hashed is what is stored; other apps use it to snapshot values into JSON columns the same way."""
    return json.loads(json.dumps(value, default=str, sort_keys=True)) if value is not None else None


def canonical_text(value: Any) -> str:
    """The one text a frozen snapshot is stored and hashed as (confirmation letters, sales–finance months): keys
    sorted, no spaces, UTF-8 characters kept, dates and Decimals as their ``str``."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256_hex(text: str) -> str:
    """SHA-256 of ``text`` (UTF-8), as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_hash(*, seq: int, occurred_at: datetime, actor_name: str, action: str, subject_type: str,
               subject_id: str, subject_repr: str, before: Any, after: Any, prev_hash: str,
               seals: Any = None) -> str:
    """SHA-256 of the event's canonical JSON. ``seals`` enter only when present, so events written before
    seals existed keep the hash they were written with."""
    return event_hash_of_texts(
        seq=seq, occurred_at=occurred_at, actor_name=actor_name, action=action, subject_type=subject_type,
        subject_id=subject_id, subject_repr=subject_repr, before=hashed_text(before), after=hashed_text(after),
        prev_hash=prev_hash, seals=hashed_text(seals) if seals is not None else None)


def event_hash_of_texts(*, seq: int, occurred_at: datetime, actor_name: str, action: str, subject_type: str,
                        subject_id: str, subject_repr: str, before: str, after: str, prev_hash: str,
                        seals: str | None = None) -> str:
    """``event_hash`` with ``before``, ``after`` and ``seals`` already in their hashed form (``hashed_text``):
    the JSON object ``json.dumps(content, sort_keys=True, ensure_ascii=False)`` would give, put together without
    encoding those three again (the bulk path's sub-chains hash thousands of events a batch)."""
    scalar = _SCALAR_JSON
    parts = [
        ("action", scalar(action)), ("actor", scalar(actor_name)), ("after", after), ("before", before),
        ("occurred_at", scalar(occurred_at.astimezone(UTC).isoformat(timespec="microseconds"))),
        ("prev_hash", scalar(prev_hash)), *((("seals", seals),) if seals is not None else ()),
        ("seq", scalar(seq)), ("subject_id", scalar(subject_id)), ("subject_repr", scalar(subject_repr)),
        ("subject_type", scalar(subject_type)),
    ]
    text = "{" + ", ".join(f'"{key}": {value}' for key, value in parts) + "}"
    return hashlib.sha256(text.encode()).hexdigest()


def hashed_text(value: Any) -> str:
    """``value`` as ``event_hash`` hashes it (its ``canonical_json`` encoded with keys sorted), in one encoding; it is
    also the text a JSON column stores, which reads back as ``canonical_json(value)``. ``None`` gives "null"."""
    return _HASHED_JSON(value)


# ``json.dumps(value, **options)`` with options builds a new encoder per call; the bulk path hashes several values
# of thousands of events a batch, so each encoding keeps one encoder (the same text as those ``json.dumps`` calls)
_SCALAR_JSON = json.JSONEncoder(ensure_ascii=False).encode
_HASHED_JSON = json.JSONEncoder(default=str, sort_keys=True, ensure_ascii=False).encode


def _actor_of(actor: Actor | ExternalActor) -> tuple[Any, str]:
    """The event's user and the name the chain records for ``actor``."""
    # Only a signed-in user is authenticated (AnonymousUser and ExternalActor are not, None has no attribute).
    actor_user = user_or_none(actor)
    actor_name = actor_user.get_username() if actor_user else (
        actor.audit_name if isinstance(actor, ExternalActor) else "system")
    return actor_user, actor_name


def audit_record(*, actor: Actor | ExternalActor, action: str, subject: Model, before: JsonDict | None = None,
                 after: JsonDict | None = None,
                 seals: dict[str, dict[str, str]] | None = None) -> AuditEvent:
    """Append one event in the caller's transaction. ``subject`` is a model instance; ``seals`` the digests of
    rows the change posted beside it (``{"ledger.journalentry": {"17": "<sha256>"}}``, see the model)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    if action not in ACTION_CODES:
        raise ValueError(f"audit action {action!r} is not in the catalogue (arms.audit.actions.AuditAction)")
    last_seq, last_hash = _head_locked()
    actor_user, actor_name = _actor_of(actor)
    fields = {
        "seq": last_seq + 1,
        "occurred_at": timezone.now(),
        "actor_name": actor_name,
        "action": action,
        "subject_type": subject._meta.label_lower,
        "subject_id": str(subject.pk),
        "subject_repr": str(subject)[:200],
        "before": canonical_json(before),
        "after": canonical_json(after),
        "prev_hash": last_hash,
        "seals": canonical_json(seals) if seals else None,
    }
    digest = event_hash(**fields)
    event = AuditEvent.objects.create(actor=actor_user, hash=digest, **fields)
    with connection.cursor() as cursor:  # the head moves on: a plain statement too (see ``_head_locked``)
        cursor.execute(f"UPDATE {connection.ops.quote_name(AuditHead._meta.db_table)} "
                       "SET last_seq = %s, last_hash = %s WHERE id = 1", [fields["seq"], digest])
    return event


def _head_locked() -> tuple[int, str]:
    """The chain's head (``last_seq``, ``last_hash``), locked until the caller commits (``locked_values``: one plain
    statement). Every audited change reads and moves the head, and the ORM's building of those two small statements
    cost more than the rest of ``audit_record``: 770-800 us an event before, 320-550 us after on SQLite
    (docs/benchmarks.md); the demo seed records about 7,000 events."""
    row = locked_values(AuditHead, 1, ("last_seq", "last_hash"))
    if row is None:
        raise AuditHead.DoesNotExist("the audit chain has no head row (migrations not applied?)")
    return int(row[0]), str(row[1])


# ---------------------------------------------------------------- sub-chains of bulk writes (ADR h1-audit-sub-chains)

#: the key of an anchoring event's seals: ``{"audit.batch": {"<batch id>": "<final hash of its sub-chain>"}}``
BATCH_SEAL_KEY = "audit.batch"


@dataclass(frozen=True)
class SubjectRef:
    """An event's subject named without its model instance (the bulk path writes some rows as plain values): what
    ``audit_record`` reads of an instance, its ``_meta.label_lower``, primary key and ``str()``."""

    subject_type: str
    subject_id: int
    subject_repr: str


@dataclass(frozen=True)
class BatchEvent:
    """One event for ``audit_batch_append``: what ``audit_record`` takes, without the actor (the batch's)."""

    action: str
    subject: Model | SubjectRef
    before: JsonDict | None = None
    after: JsonDict | None = None
    seals: dict[str, dict[str, str]] | None = None


def audit_batch_open(*, actor: Actor, source: str = "") -> AuditBatch:
    """Open the sub-chain of one bulk write (inside its transaction). Locks nothing shared."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_batch_open must run inside the transaction of the change it records")
    actor_user, actor_name = _actor_of(actor)
    return AuditBatch.objects.create(opened_at=timezone.now(), actor=actor_user, actor_name=actor_name,
                                     source=source[:200])


def audit_batch_append(batch: AuditBatch, events: list[BatchEvent]) -> None:
    """Append ``events`` to ``batch``'s sub-chain, hashed in order, in one insert. The batch row is the bulk write's
    own: nobody else waits for it, or reads it before the transaction commits, so its count and last hash move on
    the instance here and reach the row with the anchor (``audit_batch_anchor``): one update a batch, not one an
    append (a seed appends some thousand times to one batch)."""
    if not events:
        return
    if batch.anchor_seq is not None:
        raise RuntimeError("the audit batch is anchored already: open another one")
    now = timezone.now()
    stored_at = AuditBatchEvent._meta.get_field("occurred_at").get_db_prep_save(now, connection)
    rows = []
    prev, position = batch.last_hash, batch.events
    for action in {event.action for event in events}:
        if action not in ACTION_CODES:
            raise ValueError(f"audit action {action!r} is not in the catalogue (arms.audit.actions.AuditAction)")
    for event in events:
        position += 1
        subject = event.subject
        if isinstance(subject, SubjectRef):
            subject_type, subject_id, subject_repr = (subject.subject_type, str(subject.subject_id),
                                                      subject.subject_repr[:200])
        else:
            subject_type, subject_id, subject_repr = subject._meta.label_lower, str(subject.pk), str(subject)[:200]
        # one encoding of each value: the canonical text is what is hashed and, as it is, what the JSON column
        # stores (SQL NULL for None), so what is stored reads back as what was hashed
        before, after = hashed_text(event.before), hashed_text(event.after)
        seals = hashed_text(event.seals) if event.seals else None
        digest = event_hash_of_texts(seq=position, occurred_at=now, actor_name=batch.actor_name,
                                     action=event.action, subject_type=subject_type, subject_id=subject_id,
                                     subject_repr=subject_repr, before=before, after=after, prev_hash=prev,
                                     seals=seals)
        rows.append((batch.pk, position, stored_at, str(event.action), subject_type, subject_id, subject_repr,
                     _stored(event.before, before), _stored(event.after, after), seals, prev, digest))
        prev = digest
    Table(AuditBatchEvent, ["batch_id", "position", "occurred_at", "action", "subject_type", "subject_id",
                            "subject_repr", "before", "after", "seals", "prev_hash", "hash"], now).write(rows)
    batch.events, batch.last_hash = position, prev


def _stored(value: Any, text: str) -> str | None:
    """A JSON column's value as the bulk writer sends it: SQL NULL for ``None``, as the model field stores it."""
    return text if value is not None else None


def audit_batch_anchor(batch: AuditBatch, *, action: str = AuditAction.AUDIT_BATCH_ANCHORED,
                       subject: Model | None = None, before: JsonDict | None = None,
                       after: JsonDict | None = None) -> AuditEvent:
    """Seal ``batch`` into the global chain with ONE event (``action`` on ``subject``, default the batch itself),
    whose seals carry the sub-chain's final hash. The only moment a bulk write locks the chain's head: call it last,
    just before the transaction commits."""
    actor: Any = batch.actor
    event = audit_record(
        actor=actor, action=action, subject=subject if subject is not None else batch, before=before,
        after={**(after or {}), "audit_batch": batch.pk, "audit_batch_events": batch.events},
        seals={BATCH_SEAL_KEY: {str(batch.pk): batch.last_hash}},
    )
    batch.anchor_seq = event.seq
    AuditBatch.objects.filter(pk=batch.pk).update(events=batch.events, last_hash=batch.last_hash,
                                                  anchor_seq=event.seq)
    return event


def audit_batches_verify() -> SealReport:
    """Recompute every sub-chain from its events and compare its end with the hash its anchoring event sealed.
    Names a batch whose events were altered, removed, added or reordered, and one that no event anchors."""
    problems: list[str] = []
    sealed: dict[int, tuple[str, int]] = {}
    for seq, seals in (AuditEvent.objects.filter(seals__has_key=BATCH_SEAL_KEY).order_by("seq")
                       .values_list("seq", "seals")):
        for batch_id, digest in (seals or {}).get(BATCH_SEAL_KEY, {}).items():
            sealed[int(batch_id)] = (digest, seq)
    checked = 0
    for batch in AuditBatch.objects.order_by("pk").iterator(chunk_size=500):
        anchor = sealed.pop(batch.pk, None)
        if anchor is None:
            problems.append(f"audit batch {batch.pk} is anchored by no audit event")
            continue
        prev, expected = GENESIS_HASH, 1
        for event in AuditBatchEvent.objects.filter(batch=batch).order_by("position").iterator(chunk_size=5000):
            if event.position != expected or event.prev_hash != prev:
                problems.append(f"audit batch {batch.pk}: event {expected} is missing or out of order")
                break
            recomputed = event_hash(
                seq=event.position, occurred_at=event.occurred_at, actor_name=batch.actor_name, action=event.action,
                subject_type=event.subject_type, subject_id=event.subject_id, subject_repr=event.subject_repr,
                before=event.before, after=event.after, prev_hash=event.prev_hash, seals=event.seals,
            )
            if recomputed != event.hash:
                problems.append(f"audit batch {batch.pk}: content of event {event.position} was altered")
                break
            prev, expected = event.hash, expected + 1
        else:
            if prev != anchor[0]:
                problems.append(f"audit batch {batch.pk} ends at another hash than audit event {anchor[1]} sealed: "
                                "events were added, removed or rewritten")
        checked += 1
    problems.extend(f"audit event {seq} seals audit batch {batch_id}, which is missing"
                    for batch_id, (_digest, seq) in sealed.items())
    return SealReport("audit batches", f"{checked} audit batches (sub-chains of bulk writes) checked",
                      tuple(problems))


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def audit_verify(*, chunk_size: int = 5000) -> ChainReport:
    """Recompute the chain from event 1; name the first event that was altered, removed or reordered."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, f"event {expected_seq} is missing (next is {event.seq})")
        if event.prev_hash != expected_prev:
            return ChainReport(False, checked, event.seq, "prev_hash does not match the previous event")
        recomputed = event_hash(
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor_name=event.actor_name,
            action=event.action,
            subject_type=event.subject_type,
            subject_id=event.subject_id,
            subject_repr=event.subject_repr,
            before=event.before,
            after=event.after,
            prev_hash=event.prev_hash,
            seals=event.seals,
        )
        if recomputed != event.hash:
            return ChainReport(False, checked, event.seq, "content was altered: its hash does not match")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.get(pk=1)
    if head.last_seq > checked:
        return ChainReport(
            False, checked, checked + 1,
            f"the chain ends at {checked} but the head says {head.last_seq}: events removed",
        )
    if head.last_seq < checked:
        return ChainReport(
            False, checked, head.last_seq + 1,
            f"the chain runs to {checked} but the head says {head.last_seq}: events added outside audit_record",
        )
    if head.last_hash != expected_prev:
        return ChainReport(False, checked, checked, "the newest event's hash differs from the head's: it was rewritten")
    return ChainReport(True, checked)


#: ``hooks.run(AUDIT_VERIFY)`` after the chain holds: each app whose rows are sealed into events returns a
#: ``SealReport`` (the ledger recomputes every journal entry's lines; arms.ledger.seal).
AUDIT_VERIFY = hooks.AUDIT_VERIFY


@dataclass(frozen=True)
class SealReport:
    """What an app found when it recomputed the seals of its rows: ``problems`` name each row that differs."""

    name: str
    summary: str
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def seals_verify() -> list[SealReport]:
    """Every registered app's recomputation of its seals (empty when no app registered)."""
    return hooks.run(AUDIT_VERIFY)
