"""Unanswered confirmations: an e-mail reminder ``reminder_working_days`` after the letter was sent, then a task
for the collector ``task_working_days`` after (China's working days; each once per confirmation). Runs daily
(the scheduled task) and from ``arms confirmations remind``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.enums import Level, TaskKind
from arms.cases.services.tasks import task_create_or_get
from arms.common.locks import lock_customer, qs_for_update
from arms.confirmations.enums import ConfirmationStatus
from arms.confirmations.models import Confirmation, ConfirmationSettings
from arms.confirmations.services.common import confirmation_audit
from arms.confirmations.services.dispatch import confirmation_send, recipients_for
from arms.confirmations.services.settings import confirmation_settings_for
from arms.customers.models import Company
from arms.domain.money import format_money
from arms.domain.workdays import add_working_days, working_days_between

#: the collector's task is due this many working days after it is made
TASK_DUE_WORKING_DAYS = 2


def _remind_one(*, pk: int, settings: ConfirmationSettings, as_of: date, actor: Any) -> tuple[bool, bool]:
    with transaction.atomic():
        confirmation = Confirmation.objects.select_related("customer").get(pk=pk)
        customer = lock_customer(confirmation.customer_id)
        locked = qs_for_update(Confirmation.objects.all()).get(pk=pk)
        if locked.status != ConfirmationStatus.SENT or locked.sent_at is None:
            return False, False
        waited = working_days_between(timezone.localtime(locked.sent_at).date(), as_of)
        reminded = tasked = False
        if waited >= settings.reminder_working_days and locked.reminder_count == 0:
            before = confirmation_audit(locked)
            to = [c.email for c in recipients_for(customer)]
            if to:
                confirmation_send(confirmation=locked, actor=actor, reminder=True)
            locked.reminder_count, locked.reminded_on = 1, as_of
            locked.save(update_fields=["reminder_count", "reminded_on"])
            audit_record(actor=actor, action="confirmation_reminded", subject=locked, before=before,
                         after={**confirmation_audit(locked), "to": to})
            reminded = bool(to)
        if waited >= settings.task_working_days and locked.task_id is None:
            before = confirmation_audit(locked)
            task, _created = task_create_or_get(
                customer=customer, kind=TaskKind.CALL, level=Level.FINANCE,
                due_on=add_working_days(as_of, TASK_DUE_WORKING_DAYS), assignee=customer.collector
                if customer.collector is not None and customer.collector.is_active else None,
                title=(_("Get the balance confirmation for %(period)s answered (%(balance)s)")
                       % {"period": locked.period_end.isoformat(),
                          "balance": format_money(locked.closing_minor, locked.currency)})[:200],
                source="confirmation", source_ref=f"unanswered:{locked.pk}", actor=actor,
            )
            locked.task = task
            locked.save(update_fields=["task"])
            audit_record(actor=actor, action="confirmation_escalated", subject=locked, before=before,
                         after={**confirmation_audit(locked), "task": task.pk})
            tasked = True
    return reminded, tasked


def confirmations_remind(*, as_of: date | None = None, actor: Any = None) -> dict[str, int]:
    """Remind, then give to the collector, every sent confirmation still unanswered; each step once."""
    day = as_of or timezone.localdate()
    counts = {"reminded": 0, "tasks": 0}
    settings_by_company: dict[int, ConfirmationSettings] = {}
    for pk, company_id in (Confirmation.objects.filter(status=ConfirmationStatus.SENT)
                           .filter(reminder_count=0) | Confirmation.objects.filter(
                               status=ConfirmationStatus.SENT, task__isnull=True)).values_list(
            "pk", "company_id").order_by("pk").distinct():
        if company_id not in settings_by_company:
            settings_by_company[company_id] = confirmation_settings_for(Company.objects.get(pk=company_id))
        reminded, tasked = _remind_one(pk=pk, settings=settings_by_company[company_id], as_of=day, actor=actor)
        counts["reminded"] += reminded
        counts["tasks"] += tasked
    return counts
