"""Scheduled credit work (Huey): the daily re-rating of customers due for review (quarterly by default)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.credit.services import rating_run_due

log = logging.getLogger("arms.credit")


@db_periodic_task(crontab(hour="3", minute="10"))
def daily_credit_review() -> int:
    """Rate every customer whose next review date has come (and active customers never rated)."""
    rated = rating_run_due()
    if rated:
        log.info("credit review: %s customers re-rated", rated)
    return rated
