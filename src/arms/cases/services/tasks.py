"""task_create, task_complete, task_cancel: the to-dos of a collection case, one person per escalation level."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import ExternalActor, audit_record
from arms.cases.enums import ActivityKind, Level, TaskKind, TaskStatus
from arms.cases.errors import AlreadyClosed
from arms.cases.models import Task
from arms.cases.selectors import person_for_level
from arms.cases.services.activities import activity_record
from arms.cases.services.common import choice_or_error, code_or_error
from arms.common.actors import user_or_none
from arms.common.errors import ValidationFailed
from arms.common.locks import qs_for_update

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor, JsonDict
    from arms.customers.models import Customer

#: what completing a task of each kind records on the history
ACTIVITY_OF_TASK = {
    TaskKind.CALL: ActivityKind.CALL,
    TaskKind.VISIT: ActivityKind.VISIT,
    TaskKind.LETTER: ActivityKind.LETTER,
    TaskKind.LEGAL_REVIEW: ActivityKind.NOTE,
    TaskKind.HANDOFF: ActivityKind.HANDOFF,
    TaskKind.FOLLOW_UP: ActivityKind.NOTE,
    TaskKind.OTHER: ActivityKind.NOTE,
}


def task_snapshot(task: Task) -> JsonDict:
    return {
        "customer": task.customer_id, "kind": task.kind, "title": task.title, "assignee": task.assignee_id,
        "level": task.level, "due_on": task.due_on, "status": task.status, "source": task.source,
        "source_ref": task.source_ref, "activity": task.activity_id,
    }


def task_create_or_get(
    *, customer: Customer, kind: str, title: str, level: str, due_on: date, assignee: User | None = None,
    source: str = "", source_ref: str = "", actor: Actor | ExternalActor = None,
) -> tuple[Task, bool]:
    """``task_create`` that also says whether it created the task (False: (source, source_ref) existed)."""
    if source_ref:
        existing = Task.objects.filter(source=source, source_ref=source_ref).first()
        if existing is not None:
            return existing, False
    choice_or_error(kind, TaskKind, "kind")
    choice_or_error(level, Level, "level")
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("Say what is to be done."), field="title")
    if len(title) > 200:
        raise ValidationFailed(_("At most 200 characters."), field="title")
    if not isinstance(due_on, date):
        raise ValidationFailed(_("A date is needed."), field="due_on")
    if len(source) > 40 or len(source_ref) > 120:
        raise ValidationFailed(_("The source reference is too long."), field="source_ref")
    if assignee is None:
        assignee = person_for_level(customer, level)
    elif not assignee.is_active:
        raise ValidationFailed(_("The assignee's account is disabled."), field="assignee")
    try:
        with transaction.atomic():
            task = Task.objects.create(
                customer=customer, kind=kind, title=title, assignee=assignee, level=level, due_on=due_on,
                source=source, source_ref=source_ref, created_by=user_or_none(actor),
            )
    except IntegrityError:
        if not source_ref:
            raise
        return Task.objects.get(source=source, source_ref=source_ref), False
    audit_record(actor=actor, action="task_created", subject=task, after=task_snapshot(task))
    return task, True


@transaction.atomic
def task_create(
    *, customer: Customer, kind: str, title: str, assignee: User | None = None, level: str, due_on: date,
    source: str = "", source_ref: str = "", actor: Actor | ExternalActor = None,
) -> Task:
    """A to-do for one person. Without an assignee, the person who holds ``level`` for the customer gets it
    (``selectors.person_for_level``). Idempotent on (source, source_ref) when ``source_ref`` is given."""
    task, _created = task_create_or_get(
        customer=customer, kind=kind, title=title, assignee=assignee, level=level, due_on=due_on, source=source,
        source_ref=source_ref, actor=actor,
    )
    return task


def _locked_open(task: Task) -> Task:
    locked = qs_for_update(Task.objects.all()).get(pk=task.pk)
    if locked.status != TaskStatus.OPEN:
        raise AlreadyClosed(_("The task is already %(status)s.") % {"status": locked.get_status_display()},
                            field="task")
    return locked


@transaction.atomic
def task_complete(*, task: Task, actor: Actor, outcome: str, note: str, kind: str | None = None,
                  occurred_at: datetime | None = None) -> Task:
    """Mark the task done and record what was done as an activity on the customer's history."""
    code_or_error(outcome, "outcome")
    locked = _locked_open(task)
    before = task_snapshot(locked)
    activity = activity_record(
        customer=locked.customer, kind=kind or ACTIVITY_OF_TASK[TaskKind(locked.kind)], outcome=outcome,
        note=note or locked.title, actor=actor, occurred_at=occurred_at, source="task",
        source_ref=f"task:{locked.pk}",
    )
    locked.status = TaskStatus.DONE
    locked.closed_at = timezone.now()
    locked.closed_by = user_or_none(actor)
    locked.activity = activity
    locked.save(update_fields=["status", "closed_at", "closed_by", "activity"])
    audit_record(actor=actor, action="task_completed", subject=locked, before=before, after=task_snapshot(locked))
    return locked


@transaction.atomic
def task_cancel(*, task: Task, actor: Actor, note: str = "") -> Task:
    """Close a task that is no longer needed (the customer paid, the case moved on)."""
    locked = _locked_open(task)
    before = task_snapshot(locked)
    locked.status = TaskStatus.CANCELLED
    locked.closed_at = timezone.now()
    locked.closed_by = user_or_none(actor)
    locked.save(update_fields=["status", "closed_at", "closed_by"])
    audit_record(actor=actor, action="task_cancelled", subject=locked, before=before,
                 after={**task_snapshot(locked), "note": note})
    return locked
