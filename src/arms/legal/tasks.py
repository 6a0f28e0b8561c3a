"""Scheduled legal work (Huey): every morning, a refresh task for each debtor in a legal stage whose asset facts are
stale (once per customer and stale period). ``arms legal assets-stale --remind`` runs the same on demand."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.customers.services import company_ensure
from arms.legal.services import assets_stale_remind

log = logging.getLogger("arms.legal")


@db_periodic_task(crontab(hour="6", minute="40"))
def legal_daily_assets_stale() -> int:
    made = assets_stale_remind(as_of=timezone.localdate(), company=company_ensure())
    log.info("debtor asset refresh tasks: %s", made)
    return made
