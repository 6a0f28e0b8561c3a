"""Scheduled early warning (Huey): every morning, a job evaluates every active indicator on the day (raising a
warning once per crossing and closing the recovered ones). ``arms warnings evaluate`` runs the same on demand."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.earlywarning.jobs import evaluate_job_start

log = logging.getLogger("arms.earlywarning")


@db_periodic_task(crontab(hour="6", minute="20"))
def earlywarning_daily() -> int:
    job, created = evaluate_job_start(as_of=timezone.localdate(), actor=None)
    log.info("early-warning evaluation job %s (%s)", job.pk, "queued" if created else "already running")
    return int(job.pk)
