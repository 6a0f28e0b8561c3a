"""Escalation: when a promise is broken, a plan breached or a dispute late, the next level's person gets a task
and a notification (sent after commit)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.urls import reverse

from arms.cases.enums import Level, next_level
from arms.cases.models import Task
from arms.cases.services.tasks import task_create_or_get
from arms.common.notify import notify

if TYPE_CHECKING:
    from arms.common.typing import Actor
    from arms.customers.models import Customer


def case_link(customer: Customer) -> str:
    return reverse("cases:case", args=[customer.pk])


def escalate(*, customer: Customer, from_level: str, kind: str, title: str, body: str, due_on: date, source: str,
             source_ref: str, actor: Actor = None, notify_kind: str = "collections.escalation") -> Task:
    """A task for the person one level up from ``from_level`` (idempotent on source_ref) and, the first time,
    a notification to them."""
    level = next_level(from_level or Level.FINANCE)
    task, created = task_create_or_get(customer=customer, kind=kind, title=title, level=level, due_on=due_on,
                                       source=source, source_ref=source_ref, actor=actor)
    if created and task.assignee is not None:
        notify([task.assignee], subject=title, body=body, link=case_link(customer), kind=notify_kind)
    return task
