"""Scheduled contract reminders (Huey): every morning tell salespeople of contracts ending within the company's
reminder days and of those due for their periodic review. ``arms contracts reminders`` runs the same on demand."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.contractreview.services import contract_reminders
from arms.customers.models import Company

log = logging.getLogger("arms.contractreview")


@db_periodic_task(crontab(hour="7", minute="10"))
def contract_reminders_daily() -> dict:
    result = {company.code: contract_reminders(company=company) for company in Company.objects.order_by("pk")}
    log.info("contract reminders %s", result)
    return result
