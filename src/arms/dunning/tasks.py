"""Scheduled dunning work (Huey). Tasks call services; they hold no rules of their own.

- ``daily_run`` (06:30 China time every day): the dunning run for today; its actions are processed after it commits.
- ``retry_emails`` (every 10 minutes): whatever failed and is due again, and rows abandoned mid-send.

The tasks the services queue themselves live beside the service that queues them, so that services never
import this module: ``process_run`` in ``services/actions.py`` (queued by ``dunning_run``) and ``send_email`` in
``services/emails.py`` (queued by ``action_process``).
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.dunning.models import RunTrigger
from arms.dunning.services import dunning_run, emails_retry


@db_periodic_task(crontab(hour="22", minute="30"))  # Huey schedules in UTC: 06:30 in China, before work starts
def daily_run() -> int:
    run = dunning_run(as_of=timezone.localdate(), trigger=RunTrigger.SCHEDULE)
    return run.pk


@db_periodic_task(crontab(minute="*/10"))
def retry_emails() -> dict[str, int]:
    return emails_retry()
