"""Reading the audit trail: the filtered list the audit page, its export and the API share."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from arms.audit.models import AuditBatchEvent, AuditEvent


def audit_event_list(*, actor: str = "", action: str = "", subject_type: str = "", subject_id: str = "",
                     date_from: date | None = None, date_to: date | None = None) -> QuerySet[AuditEvent]:
    """Events newest first. ``actor`` is a username (as recorded, exact); ``date_from``/``date_to`` are local
    days, both included."""
    qs = AuditEvent.objects.all()
    if actor:
        qs = qs.filter(actor_name=actor)
    if action:
        qs = qs.filter(action=action)
    if subject_type:
        qs = qs.filter(subject_type=subject_type)
    if subject_id:
        qs = qs.filter(subject_id=subject_id)
    zone = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(occurred_at__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to:
        qs = qs.filter(occurred_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone))
    return qs.order_by("-seq")


def audit_batch_events(*, subject_type: str, subject_id: str) -> QuerySet[AuditBatchEvent]:
    """The events of a subject written by bulk writes (an import run), each with its batch (who, when, source) and
    the seq of the global event that anchors it (the import run's ``import_completed``)."""
    return (AuditBatchEvent.objects.filter(subject_type=subject_type, subject_id=subject_id)
            .select_related("batch").order_by("batch_id", "position"))
