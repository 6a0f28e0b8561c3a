"""Scheduled collections work (Huey): every morning, decide promises, track installment plans, warn about
dispute deadlines. The tasks call services; ``arms collections check --date D`` runs the same on demand."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.cases.services import disputes_sla_check, plans_check, promises_check

log = logging.getLogger("arms.collections")


def daily_checks(as_of=None) -> dict:
    """Promises kept or broken, plans completed or breached, dispute SLA notices, for ``as_of`` (today)."""
    on = as_of or timezone.localdate()
    result = {"date": on.isoformat(), "promises": promises_check(as_of=on), "plans": plans_check(as_of=on),
              "disputes": disputes_sla_check(as_of=on)}
    log.info("collections checks %s", result)
    return result


@db_periodic_task(crontab(hour="6", minute="15"))
def collections_daily_checks() -> dict:
    return daily_checks()
