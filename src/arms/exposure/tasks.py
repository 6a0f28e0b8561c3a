"""Scheduled exposure work (Huey): approved overrides past their expiry are marked expired every hour.

The credit check already ignores an expired override by its time; the task only makes the state visible.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.exposure.services import overrides_expire


@db_periodic_task(crontab(minute="5"))
def expire_credit_overrides() -> int:
    return overrides_expire()
