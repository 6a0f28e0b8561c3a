"""Scheduled prediction work (Huey): every Sunday night a new model is trained on the settled history (and the
open items predicted with it); every other night the open items are predicted again with the active model. Both
start a job, so the work runs in the queue consumer with its progress visible on /prediction/.
``arms prediction train`` / ``arms prediction refresh`` do the same on demand."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.prediction.jobs import refresh_job_start, train_job_start
from arms.prediction.models import ModelVersion

log = logging.getLogger("arms.prediction")


@db_periodic_task(crontab(day_of_week="0", hour="4", minute="10"))
def prediction_weekly_train() -> int:
    job, _created = train_job_start(actor=None)
    log.info("prediction training job %s", job.pk)
    return int(job.pk)


@db_periodic_task(crontab(day_of_week="1-6", hour="4", minute="10"))
def prediction_daily_refresh() -> int | None:
    if not ModelVersion.objects.exists():
        return None
    job, _created = refresh_job_start(actor=None)
    log.info("prediction refresh job %s", job.pk)
    return int(job.pk)
