"""Risk signals from the field: raised on a customer by whoever sees it, acknowledged by a credit manager who is
not the reporter (four eyes), which may start a re-rating of the customer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.roles import Role
from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.approvals import require_second_person
from arms.common.attachments import attachment_store
from arms.common.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from arms.common.locks import lock_one
from arms.common.notify import notify
from arms.credit.enums import RatingTrigger
from arms.credit.services.ratings import rating_run
from arms.customers.models import Customer
from arms.customers.selectors import customers_visible_to
from arms.earlywarning.enums import SignalCategory, SignalStatus
from arms.earlywarning.models import RiskSignal
from arms.earlywarning.services.indicators import text_or_refuse

#: the seeds ask that a risk noticed in the field reach ARMS within 24 hours
RAISE_WITHIN = timedelta(hours=24)
#: how far back a signal may have been noticed
MAX_AGE = timedelta(days=366)


def _snapshot(signal: RiskSignal) -> dict[str, Any]:
    return {"customer": signal.customer_id, "category": signal.category, "status": signal.status,
            "observed_at": signal.observed_at, "late": signal.late, "evidence": signal.evidence_name}


@transaction.atomic
def risk_signal_raise(*, actor: Any, customer: Customer, category: str, description: str, observed_at: datetime,
                      evidence_bytes: bytes | None = None, evidence_name: str = "") -> RiskSignal:
    """Report a risk noticed on a customer the actor may see; credit managers are notified."""
    if not customers_visible_to(actor).filter(pk=customer.pk).exists():
        raise NotFound(_("Customer not found."), field="customer_id")
    if category not in SignalCategory.values:
        raise ValidationFailed(_("Choose one of the categories."), field="category")
    text = text_or_refuse(description, field="description")
    if not isinstance(observed_at, datetime):
        raise ValidationFailed(_("Give the day and time it was noticed."), field="observed_at")
    if timezone.is_naive(observed_at):
        observed_at = timezone.make_aware(observed_at)
    now = timezone.now()
    if observed_at > now:
        raise ValidationFailed(_("It cannot have been noticed in the future."), field="observed_at")
    if observed_at < now - MAX_AGE:
        raise ValidationFailed(_("Report what was noticed within the last year."), field="observed_at")
    evidence = None
    name = (evidence_name or "").strip()[:200]
    if evidence_bytes:
        evidence = attachment_store(content=evidence_bytes, name=name or "evidence")
    signal = RiskSignal.objects.create(
        customer=customer, category=category, description=text, observed_at=observed_at, raised_by=actor,
        late=now - observed_at > RAISE_WITHIN, evidence=evidence, evidence_name=name if evidence else "")
    audit_record(actor=actor, action=AuditAction.RISK_SIGNAL_RAISED, subject=signal, after=_snapshot(signal))
    managers = get_user_model().objects.filter(groups__name=Role.CREDIT_MANAGER, is_active=True).order_by("pk")
    notify(managers, subject=_("Risk signal on %(customer)s: %(category)s") % {
        "customer": customer.name, "category": SignalCategory(category).label},
        body=text, link=reverse("earlywarning:signal", args=[signal.pk]), kind="earlywarning.signal")
    return signal


@transaction.atomic
def risk_signal_acknowledge(*, signal: RiskSignal, actor: Any, note: str, rerate: bool = False) -> RiskSignal:
    """A credit manager who did not raise it acknowledges the signal with an assessment; ``rerate`` rates the
    customer again now (the credit app's rating, trigger "new facts"), its proposal waiting for a decision."""
    text = text_or_refuse(note, field="note")
    locked = lock_one(RiskSignal.objects.select_related("customer"), pk=signal.pk)
    require_second_person(locked.raised_by_id, actor)
    if locked.status != SignalStatus.RAISED:
        raise Conflict(_("The signal was acknowledged already."), code=ErrorCode.ALREADY_ACKNOWLEDGED)
    before = _snapshot(locked)
    if rerate:
        locked.rating = rating_run(
            customer=locked.customer, actor=actor, trigger=RatingTrigger.NEW_FACTS,
            reason=_("Risk signal: %(category)s") % {"category": SignalCategory(locked.category).label})
    locked.status = SignalStatus.ACKNOWLEDGED
    locked.acknowledged_by, locked.acknowledged_at, locked.acknowledgement_note = actor, timezone.now(), text
    locked.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "acknowledgement_note", "rating"])
    audit_record(actor=actor, action=AuditAction.RISK_SIGNAL_ACKNOWLEDGED, subject=locked, before=before,
                 after={**_snapshot(locked), "note": text, "rating": locked.rating_id})
    return locked
