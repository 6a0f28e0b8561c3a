"""Background job of the cash-in forecast (``arms.common.jobs``), registered in ``ForecastConfig.ready``.

- ``forecast.run``: compute and store the forecast of a day (``services.forecast_run``), from the run button, the
  API and the daily schedule: the whole book is read, which takes seconds on a large one. One at a time per day,
  granularity and periods (the dedupe key).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, register
from arms.customers.models import Company
from arms.forecast.services import forecast_run

RUN = "forecast.run"


def run_job_start(*, company: Company, as_of: date, granularity: str, periods: int, include_new_sales: bool,
                  actor: Any) -> tuple[Any, bool]:
    """Queue a forecast run; answers (job, created)."""
    return job_start(kind=RUN, params={"company_id": company.pk, "as_of": as_of.isoformat(),
                                       "granularity": granularity, "periods": periods,
                                       "include_new_sales": include_new_sales}, actor=actor,
                     dedupe_key=f"{company.pk}:{as_of.isoformat()}:{granularity}:{periods}:{int(include_new_sales)}")


def run_job(job: Any, progress: Any) -> JobResult:
    params = job.params
    company = Company.objects.get(pk=params["company_id"])
    message = gettext_noop("Computing the cash-in forecast")
    progress(0, None, message)
    made = forecast_run(actor=job.started_by, company=company, as_of=date.fromisoformat(params["as_of"]),
                        granularity=params["granularity"], periods=params["periods"],
                        include_new_sales=params["include_new_sales"],
                        progress=lambda done, total: progress(done, total, message))
    return JobResult(url=f"/forecast/{made.pk}/", api_url=f"/api/v1/forecast/forecasts/{made.pk}",
                     label=gettext_noop("Cash-in forecast as of %(as_of)s"),
                     data={"forecast": made.pk, "as_of": made.as_of.isoformat()})


def register_jobs() -> None:
    register(JobKind(RUN, gettext_lazy("Cash-in forecast"), "forecast.view_forecast", run_job))
