"""audit_record appends to the chain; audit_verify recomputes it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.utils import timezone

from arms.audit.models import GENESIS_HASH, AuditEvent, AuditHead

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import Model

    from arms.common.typing import Actor, JsonDict


def _canonical(value: Any) -> Any:
    """JSON-normalise (dates and Decimals become strings) so what is hashed is exactly what is stored."""
    return json.loads(json.dumps(value, default=str, sort_keys=True)) if value is not None else None


def event_hash(*, seq: int, occurred_at: datetime, actor_name: str, action: str, subject_type: str,
               subject_id: str, subject_repr: str, before: JsonDict | None, after: JsonDict | None,
               prev_hash: str) -> str:
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
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def audit_record(*, actor: Actor, action: str, subject: Model, before: JsonDict | None = None,
                 after: JsonDict | None = None) -> AuditEvent:
    """Append one event in the caller's transaction. ``subject`` is a model instance."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    head = AuditHead.objects.select_for_update().get(pk=1)
    # an authenticated actor is a User (an anonymous one, or None, is the system)
    actor_user = cast("User", actor) if getattr(actor, "is_authenticated", False) else None
    fields = {
        "seq": head.last_seq + 1,
        "occurred_at": timezone.now(),
        "actor_name": actor_user.get_username() if actor_user else "system",
        "action": action,
        "subject_type": subject._meta.label_lower,
        "subject_id": str(subject.pk),
        "subject_repr": str(subject)[:200],
        "before": _canonical(before),
        "after": _canonical(after),
        "prev_hash": head.last_hash,
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
