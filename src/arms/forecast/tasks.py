"""Scheduled forecasts (Huey): every morning a 13-week forecast, and on Mondays also a 12-month one, each queued
as a job (``forecast.run``) so the periodic task itself does no heavy work. As the weeks pass, the stored
forecasts are what the accuracy page compares with the cash that came. ``arms forecast run`` does the same on
demand."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.customers.models import Company
from arms.forecast.jobs import run_job_start
from arms.forecast.selectors import DEFAULT_PERIODS

log = logging.getLogger("arms.forecast")


@db_periodic_task(crontab(hour="6", minute="10"))
def forecast_daily() -> list[int]:
    today = timezone.localdate()
    granularities = ["week", "month"] if today.weekday() == 0 else ["week"]
    started = []
    for company in Company.objects.order_by("pk"):
        for granularity in granularities:
            job, _created = run_job_start(company=company, as_of=today, granularity=granularity,
                                          periods=DEFAULT_PERIODS[granularity], include_new_sales=False, actor=None)
            started.append(job.pk)
    log.info("forecast jobs queued %s", started)
    return started
