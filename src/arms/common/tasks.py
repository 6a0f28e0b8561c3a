"""Queue tasks of the foundation (Huey): the consumer's heartbeat. (``arms.common.jobs.job_execute``, the
runner of background jobs, is defined beside ``job_run``, which enqueues it.)

- ``queue_heartbeat`` (every minute): this consumer is alive; also gives up jobs whose consumer died and
  forgets consumers gone for a day.
- on consumer start, each worker writes the heartbeat at once, so a page stops warning as soon as
  ``arms run_huey`` is up rather than a minute later.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from arms.common.jobs import jobs_sweep
from arms.common.queue import heartbeat, heartbeats_prune

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def queue_heartbeat() -> dict:
    heartbeat()
    return {"swept": jobs_sweep(), "forgotten": heartbeats_prune()}


@HUEY.on_startup()
def queue_consumer_started() -> None:
    # The worker thread's connection is closed or reused by its first task (djhuey's close_db).
    try:
        heartbeat(started=True)
    except Exception:  # a consumer that starts before `arms migrate` still consumes
        log.warning("queue heartbeat could not be written at start", exc_info=True)
