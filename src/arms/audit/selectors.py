"""Reading the audit trail: the filtered list the audit page, its export and the API share."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import F, IntegerField, Q, QuerySet, Value
from django.utils import timezone

from arms.audit.models import AuditBatchEvent, AuditEvent

# the columns the trail is read in, for events of the global chain and of the sub-chains alike
TRAIL_FIELDS = ("seq", "position", "batch_no", "occurred_at", "actor_name", "action", "subject_type", "subject_id",
                "subject_repr", "before", "after")


def audit_event_list(*, actor: str = "", action: str = "", subject_type: str = "", subject_id: str = "",
                     date_from: date | None = None, date_to: date | None = None,
                     batch: int | None = None) -> QuerySet[Any, dict[str, Any]]:
    """The trail newest first, as value rows (``TRAIL_FIELDS``). ``actor`` is a username (as recorded, exact);
    ``date_from``/``date_to`` are local days, both included.

    The global chain's events have ``position`` and ``batch_no`` empty. A bulk write's events live in its sub-chain
    (ADR 0008) and the global chain holds its anchor, whose ``after`` names the batch: with ``batch`` the list is
    that sub-chain's events (``seq`` = the anchor's, ``position`` within the batch, newest first); with a
    ``subject_id`` it is the subject's events from both, in one list (few rows: both tables are indexed by
    subject), each anchor above its sub-chain's events. Otherwise the global chain alone, read along its ``seq``
    index, where each import is one row."""
    filters = _trail_filters(actor=actor, action=action, subject_type=subject_type, subject_id=subject_id,
                             date_from=date_from, date_to=date_to)
    main = (AuditEvent.objects.filter(filters)
            .annotate(position=Value(None, output_field=IntegerField()),
                      batch_no=Value(None, output_field=IntegerField())))
    batched = (AuditBatchEvent.objects.filter(_trail_filters(actor_field="batch__actor_name", actor=actor,
                                                             action=action, subject_type=subject_type,
                                                             subject_id=subject_id, date_from=date_from,
                                                             date_to=date_to))
               .annotate(seq=F("batch__anchor_seq"), actor_name=F("batch__actor_name"), batch_no=F("batch_id"))
               .values(*TRAIL_FIELDS))
    if batch is not None:
        return batched.filter(batch_id=batch).order_by("-position")
    if subject_id:
        return (main.values(*TRAIL_FIELDS).order_by().union(batched.order_by(), all=True)
                .order_by(F("seq").desc(), F("position").desc(nulls_first=True)))
    return main.values(*TRAIL_FIELDS).order_by("-seq")


def _trail_filters(*, actor_field: str = "actor_name", actor: str, action: str, subject_type: str, subject_id: str,
                   date_from: date | None, date_to: date | None) -> Q:
    q = Q()
    if actor:
        q &= Q(**{actor_field: actor})
    if action:
        q &= Q(action=action)
    if subject_type:
        q &= Q(subject_type=subject_type)
    if subject_id:
        q &= Q(subject_id=subject_id)
    zone = timezone.get_current_timezone()
    if date_from:
        q &= Q(occurred_at__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to:
        q &= Q(occurred_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone))
    return q

