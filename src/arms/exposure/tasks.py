"""Scheduled exposure work (Huey): approved overrides past their expiry are marked expired every hour; every day
at 06:20 guarantees about to expire are announced (once each) and those past their expiry marked expired.

The credit check already ignores an expired override by its time; the task only makes the state visible.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.exposure.services import guarantees_expiring_run, overrides_expire


@db_periodic_task(crontab(minute="5"))
def expire_credit_overrides() -> int:
    return overrides_expire()


@db_periodic_task(crontab(hour="6", minute="20"))
def guarantees_expiring() -> dict[str, int]:
    return guarantees_expiring_run()
