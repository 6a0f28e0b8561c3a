"""Unanswered letters: the reminder after N working days, the collector's task after M, each once; the CLI."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from arms.audit.models import AuditEvent
from arms.cases.models import Task
from arms.confirmations.models import Confirmation, ConfirmationDispatch, ConfirmationRun
from arms.confirmations.services import confirmation_send, confirmations_remind
from arms.confirmations.services.runs import confirmation_run_start
from arms.domain.workdays import add_working_days
from tests import clock

pytestmark = pytest.mark.django_db


def _sent(book):
    run, _created = confirmation_run_start(company=book.customer.company, period_end=book.period_end,
                                           actor=book.clerk)
    confirmation = Confirmation.objects.get(run=run)
    confirmation_send(confirmation=confirmation, actor=book.clerk)
    return confirmation


def test_reminder_then_task_each_once(book, today, mailoutbox, django_capture_on_commit_callbacks):
    confirmation = _sent(book)
    assert confirmations_remind(as_of=add_working_days(today, 4)) == {"reminded": 0, "tasks": 0}
    on_reminder = add_working_days(today, 5)
    with clock.travel(on_reminder), django_capture_on_commit_callbacks(execute=True):
        assert confirmations_remind(as_of=on_reminder) == {"reminded": 1, "tasks": 0}
        assert confirmations_remind(as_of=on_reminder) == {"reminded": 0, "tasks": 0}
    assert mailoutbox[-1].subject.startswith("【催复】")
    assert ConfirmationDispatch.objects.filter(confirmation=confirmation).count() == 2
    on_task = add_working_days(today, 10)
    with clock.travel(on_task):
        assert confirmations_remind(as_of=on_task) == {"reminded": 0, "tasks": 1}
        events = AuditEvent.objects.count()
        assert confirmations_remind(as_of=add_working_days(today, 12)) == {"reminded": 0, "tasks": 0}
        assert AuditEvent.objects.count() == events
    confirmation.refresh_from_db()
    task = Task.objects.get(source="confirmation", source_ref=f"unanswered:{confirmation.pk}")
    assert (confirmation.reminder_count, confirmation.task, task.assignee) == (1, task, book.collector)


def test_answered_letters_are_not_reminded(book, today):
    from arms.confirmations.services import confirmation_reply

    confirmation = _sent(book)
    confirmation_reply(confirmation=confirmation, actor=book.clerk, answer="confirmed", channel="email")
    assert confirmations_remind(as_of=add_working_days(today, 20)) == {"reminded": 0, "tasks": 0}


def test_cli_run_list_remind(book, capsys):
    period = book.period_end.strftime("%Y-%m")
    call_command("confirmations", "run", "--period", period, "--user", "clerk")
    first = json.loads(capsys.readouterr().out)
    assert first["customers"] == 1 and first["created"] is True
    call_command("confirmations", "run", "--period", period, "--send")
    again = json.loads(capsys.readouterr().out)
    assert (again["run"], again["created"], again["sent"]) == (first["run"], False, 1)
    assert ConfirmationRun.objects.count() == 1
    call_command("confirmations", "list", "--period", period, "--json")
    [row] = json.loads(capsys.readouterr().out)
    assert (row["customer"], row["status"], row["closing"]) == ("C1", "sent", "1,195.00")
    call_command("confirmations", "remind")
    assert json.loads(capsys.readouterr().out)["reminded"] == 0
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--period"):
        call_command("confirmations", "run", "--period", "2026-13")
