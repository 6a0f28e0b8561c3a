"""Scheduled collection-plan work (Huey): every morning, tell owners of plan lines that fell behind (once per line).
``arms collection_plans behind --date D`` runs the same on demand."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.collectionplans.services import collection_plans_notify_behind

log = logging.getLogger("arms.collectionplans")


@db_periodic_task(crontab(hour="7", minute="0"))
def collection_plans_daily_behind() -> int:
    told = collection_plans_notify_behind()
    log.info("collection plan lines behind, owners told: %s", told)
    return told
