"""Scheduled limitation work (Huey): every night collect the interruptions and recompute the clocks, then send
the expiry alerts due that day. ``arms limitation refresh`` / ``arms limitation alerts`` run the same on demand."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.customers.models import Company
from arms.limitation.services.alerts import limitation_alerts
from arms.limitation.services.refresh import limitation_refresh

log = logging.getLogger("arms.limitation")


@db_periodic_task(crontab(hour="5", minute="40"))
def limitation_daily() -> dict:
    result: dict = {}
    for company in Company.objects.order_by("pk"):
        refreshed = limitation_refresh(company=company)
        alerted = limitation_alerts(company=company)
        result[company.code] = {**refreshed, **alerted}
    log.info("limitation refresh and alerts %s", result)
    return result
