"""audit_record appends to the chain; audit_verify recomputes it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from arms.audit.actions import AuditAction
from arms.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from arms.common import hooks
from arms.common.actors import user_or_none
from arms.common.locks import qs_for_update

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
    content = {
        "seq": seq,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_name,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "subject_repr": subject_repr,
        "before": before,
        "after": after,
        "prev_hash": prev_hash,
    }
    if seals is not None:
        content["seals"] = seals
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def audit_record(*, actor: Actor | ExternalActor, action: str, subject: Model, before: JsonDict | None = None,
                 after: JsonDict | None = None,
                 seals: dict[str, dict[str, str]] | None = None) -> AuditEvent:
    """Append one event in the caller's transaction. ``subject`` is a model instance; ``seals`` the digests of
    rows the change posted beside it (``{"ledger.journalentry": {"17": "<sha256>"}}``, see the model)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    if action not in AuditAction.values:
        raise ValueError(f"audit action {action!r} is not in the catalogue (arms.audit.actions.AuditAction)")
    head = qs_for_update(AuditHead.objects.all()).get(pk=1)
    # Only a signed-in user is authenticated (AnonymousUser and ExternalActor are not, None has no attribute).
    actor_user = user_or_none(actor)
    actor_name = actor_user.get_username() if actor_user else (
        actor.audit_name if isinstance(actor, ExternalActor) else "system")
    fields = {
        "seq": head.last_seq + 1,
        "occurred_at": timezone.now(),
        "actor_name": actor_name,
        "action": action,
        "subject_type": subject._meta.label_lower,
        "subject_id": str(subject.pk),
        "subject_repr": str(subject)[:200],
        "before": canonical_json(before),
        "after": canonical_json(after),
        "prev_hash": head.last_hash,
        "seals": canonical_json(seals) if seals else None,
    }
    digest = event_hash(**fields)
    event = AuditEvent.objects.create(actor=actor_user, hash=digest, **fields)
    AuditHead.objects.filter(pk=1).update(last_seq=fields["seq"], last_hash=digest)
    return event


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
