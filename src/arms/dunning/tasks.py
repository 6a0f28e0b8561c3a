"""Scheduled and queued dunning work (Huey). Tasks call services; they hold no rules of their own.

- ``daily_run`` (06:30 China time every day): the dunning run for today; its actions are processed after it commits.
- ``process_run``: carry out a run's pending actions, one transaction each; a failing one is marked and the
  rest go on (``arms dunning process`` or the UI retries it).
- ``send_email``: send one outbox row; a failure is recorded on the row and retried by Huey with backoff.
- ``retry_emails`` (every 10 minutes): whatever failed and is due again, and rows abandoned mid-send.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext_noop
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from arms.dunning.models import EmailStatus, RunTrigger
from arms.dunning.services import action_process, actions_pending, dunning_run, email_send, emails_retry
from arms.dunning.services.actions import ALL_DOCUMENTS, action_fail

log = logging.getLogger(__name__)


class EmailNotSent(Exception):
    """Raised so Huey retries the send later (the row already says why it failed)."""


def process_actions(run_id: int | None = None, *, queue_email: bool = True,
                    documents_wanted=ALL_DOCUMENTS, progress=None) -> dict[str, int]:
    """Carry out the pending and failed actions (of one run); ``progress(done, total, message, **values)``, if
    given, hears after each one (a background job's progress bar)."""
    done = failed = 0
    pks = list(actions_pending(run_id))
    for number, pk in enumerate(pks, start=1):
        if progress is not None:
            progress(number - 1, len(pks), gettext_noop("Carrying out action %(number)d of %(total)d"),
                     number=number, total=len(pks))
        try:
            action_process(action_id=pk, queue_email=queue_email, documents_wanted=documents_wanted)
            done += 1
        except Exception as exc:  # one bad action must not stop the others; it is marked and retried
            log.exception("dunning action %s failed", pk)
            action_fail(action_id=pk, error=f"{type(exc).__name__}: {exc}")
            failed += 1
    return {"done": done, "failed": failed}


@db_task()
def process_run(run_id: int) -> dict[str, int]:
    return process_actions(run_id)


@db_task(retries=5, retry_delay=300, retry_backoff=2)
def send_email(email_id: int) -> str:
    status = email_send(email_id=email_id)
    if status == EmailStatus.FAILED:
        raise EmailNotSent(f"dunning e-mail {email_id} not sent")
    return status


@db_periodic_task(crontab(hour="22", minute="30"))  # Huey schedules in UTC: 06:30 in China, before work starts
def daily_run() -> int:
    run = dunning_run(as_of=timezone.localdate(), trigger=RunTrigger.SCHEDULE)
    return run.pk


@db_periodic_task(crontab(minute="*/10"))
def retry_emails() -> dict[str, int]:
    return emails_retry()
