"""Scheduled confirmation work (Huey): every morning, remind unanswered letters and give the long-unanswered ones
to the collector. ``arms confirmations remind --date D`` runs the same on demand."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.confirmations.services import confirmations_remind

log = logging.getLogger("arms.confirmations")


@db_periodic_task(crontab(hour="6", minute="30"))
def confirmations_daily_remind() -> dict:
    result = confirmations_remind()
    log.info("confirmation reminders %s", result)
    return result
