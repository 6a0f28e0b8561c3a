"""Acknowledge a warning: someone entitled says, with a note, what is being done about it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.roles import Role, user_roles
from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.errors import Conflict, ErrorCode, Forbidden
from arms.common.locks import lock_one
from arms.earlywarning.enums import WarningStatus
from arms.earlywarning.models import Warning
from arms.earlywarning.services.indicators import text_or_refuse

ACKNOWLEDGE = "earlywarning.acknowledge_warning"


def may_acknowledge(user: Any, warning: Warning) -> bool:
    """The permission, and the indicator's responsible role or a finance manager (a superuser may too)."""
    if not user.has_perm(ACKNOWLEDGE):
        return False
    if user.is_superuser:
        return True
    roles = user_roles(user)
    return warning.indicator.responsible_role in roles or Role.FINANCE_MANAGER.value in roles


@transaction.atomic
def warning_acknowledge(*, warning: Warning, actor: Any, note: str) -> Warning:
    """Acknowledge a standing warning with a note; it stays standing until its indicator recovers."""
    text = text_or_refuse(note, field="note")
    locked = lock_one(Warning.objects.select_related("indicator"), pk=warning.pk)
    if not may_acknowledge(actor, locked):
        raise Forbidden(_("Only the indicator's responsible role or a finance manager acknowledges its warnings."))
    if locked.status == WarningStatus.CLOSED:
        raise Conflict(_("The warning has closed: its indicator recovered."), code=ErrorCode.ALREADY_CLOSED)
    if locked.status == WarningStatus.ACKNOWLEDGED:
        raise Conflict(_("The warning was acknowledged already."), code=ErrorCode.ALREADY_ACKNOWLEDGED)
    before = {"status": locked.status}
    locked.status = WarningStatus.ACKNOWLEDGED
    locked.acknowledged_by, locked.acknowledged_at, locked.acknowledgement_note = actor, timezone.now(), text
    locked.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "acknowledgement_note"])
    audit_record(actor=actor, action=AuditAction.WARNING_ACKNOWLEDGED, subject=locked, before=before,
                 after={"status": locked.status, "note": text})
    return locked
