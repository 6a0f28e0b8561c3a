"""activity_record: append one contact or event to a customer's history. Never changed afterwards."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import ExternalActor, audit_record
from arms.cases.enums import ActivityKind, Direction
from arms.cases.models import Activity
from arms.cases.services.common import choice_or_error, code_or_error, customer_invoices_locked
from arms.common.actors import user_or_none
from arms.common.attachments import attachment_store
from arms.common.errors import ValidationFailed
from arms.common.uploads import FileTooLarge, upload_max_bytes, upload_too_large_message

if TYPE_CHECKING:
    from collections.abc import Iterable

    from arms.common.typing import Actor, JsonDict
    from arms.customers.models import Customer
    from arms.ledger.models import Invoice

#: attachments are evidence, not an archive: a scan or a letter's PDF, not a video
#: a clock a few minutes fast on a phone is fine; a contact next week is a typing error
FUTURE_TOLERANCE = timedelta(minutes=10)


def activity_snapshot(activity: Activity, *, invoice_ids: list[int] | None = None) -> JsonDict:
    """The activity as its audit event records it. ``invoice_ids``: its invoices' ids when the caller has just
    linked them (saves reading them back)."""
    return {
        "customer": activity.customer_id, "kind": activity.kind, "direction": activity.direction,
        "outcome": activity.outcome, "note": activity.note, "occurred_at": activity.occurred_at,
        "source": activity.source, "source_ref": activity.source_ref,
        "attachment_name": activity.attachment_name, "attachment_sha256": activity.attachment_sha256,
        "invoices": sorted(activity.invoices.values_list("pk", flat=True) if invoice_ids is None else invoice_ids),
    }


@transaction.atomic
def activity_record(
    *,
    customer: Customer,
    kind: str,
    outcome: str = "",
    note: str = "",
    actor: Actor | ExternalActor = None,
    occurred_at: datetime | None = None,
    invoices: Iterable[Invoice | int] = (),
    source: str = "",
    source_ref: str = "",
    attachment_name: str = "",
    attachment_bytes: bytes | None = None,
    direction: str = Direction.OUT,
) -> Activity:
    """Record a call, e-mail, visit, letter, note ... on the customer's history, with an optional file.

    With a ``source_ref`` the call is idempotent: the same (source, source_ref) returns the activity already
    recorded, so dunning runs and retries record each letter once. Runs in the caller's transaction if any.
    """
    if source_ref:
        existing: Activity | None = Activity.objects.filter(source=source, source_ref=source_ref).first()
        if existing is not None:
            return existing
    choice_or_error(kind, ActivityKind, "kind")
    choice_or_error(direction, Direction, "direction")
    code_or_error(outcome, "outcome")
    if len(source) > 40:
        raise ValidationFailed(_("At most 40 characters."), field="source")
    if len(source_ref) > 120:
        raise ValidationFailed(_("At most 120 characters."), field="source_ref")
    when = occurred_at or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationFailed(_("An activity cannot be in the future."), field="occurred_at")
    attachment = None
    name = (attachment_name or "").strip()
    if attachment_bytes is not None:
        if not name:
            raise ValidationFailed(_("Name the attached file."), field="attachment_name")
        if len(name) > 200:
            raise ValidationFailed(_("At most 200 characters."), field="attachment_name")
        if not attachment_bytes:
            raise ValidationFailed(_("The attached file is empty."), field="attachment")
        if len(attachment_bytes) > upload_max_bytes():
            raise FileTooLarge(upload_too_large_message(), field="attachment", limit=upload_max_bytes())
    elif name:
        raise ValidationFailed(_("A file name without a file."), field="attachment")
    locked_invoices = customer_invoices_locked(customer=customer, invoices=invoices, lock=False)
    if attachment_bytes is not None:
        attachment = attachment_store(content=bytes(attachment_bytes), name=name)
    try:
        with transaction.atomic():
            activity = Activity.objects.create(
                customer=customer, kind=kind, direction=direction, outcome=outcome, note=note or "",
                occurred_at=when, actor=user_or_none(actor), source=source, source_ref=source_ref,
                attachment=attachment, attachment_name=name if attachment else "",
            )
    except IntegrityError:
        if not source_ref:
            raise
        # a concurrent call with the same (source, source_ref) recorded it first
        return Activity.objects.get(source=source, source_ref=source_ref)
    if locked_invoices:
        activity.invoices.add(*locked_invoices)  # a new activity: nothing to compare with, as ``set`` would
    audit_record(actor=actor, action="activity_recorded", subject=activity,
                 after=activity_snapshot(activity, invoice_ids=[inv.pk for inv in locked_invoices]))
    return activity
