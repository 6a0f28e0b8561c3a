"""Scheduled report work (Huey). The task calls the service; the rules of when live in ``schedule``.

The check runs at minute 0 of every hour; the service acts from 08:00 Beijing time on the first working day
of the month (8 October after the National Day holiday) and makes the previous month's report once. Checking
hourly rather than only at 08:00 means a consumer that was down at eight still sends the report when it comes
back, and a failed e-mail is retried; neither ever sends twice.
"""

from __future__ import annotations

from datetime import datetime

from huey.contrib.djhuey import HUEY, db_periodic_task

from arms.reports import schedule
from arms.reports.services import monthly_report_scheduled


def hourly_in_the_first_days_of_the_month(timestamp: datetime) -> bool:
    """Huey's periodic test: minute 0 of an hour from the 1st to the 20th of the month in Beijing time."""
    local = schedule.huey_time_in_shanghai(timestamp, utc=HUEY.utc)
    return local.minute == 0 and local.day <= 20


@db_periodic_task(hourly_in_the_first_days_of_the_month)
def monthly_management_report(now: datetime | None = None) -> dict:
    return monthly_report_scheduled(now=now)
