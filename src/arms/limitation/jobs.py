"""Background job of limitation periods (``arms.common.jobs``), registered in ``LimitationConfig.ready``.

- ``limitation.refresh``: collect the interruptions from every source and recompute every clock of the company
  (``limitation_refresh``), when a person asks for it from the list page; the daily schedule runs the same in
  ``tasks.py``. One at a time (the dedupe key).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, register
from arms.customers.models import Company
from arms.limitation.services.refresh import limitation_refresh

REFRESH = "limitation.refresh"


def refresh_job_start(*, company: Company, actor: Any) -> tuple[Any, bool]:
    return job_start(kind=REFRESH, params={"company_id": company.pk}, actor=actor, dedupe_key=f"refresh:{company.pk}")


def refresh_job(job: Any, progress: Any) -> JobResult:
    company = Company.objects.get(pk=job.params["company_id"])
    progress(0, None, gettext_noop("Refreshing limitation periods"))
    result = limitation_refresh(company=company, actor=job.started_by)
    return JobResult(url="/limitation/", api_url="/api/v1/limitation/claims",
                     label=gettext_noop("%(interruptions_added)d interruptions found; %(clocks)d claims updated"),
                     data=result)


def register_jobs() -> None:
    register(JobKind(REFRESH, gettext_lazy("Limitation periods refresh"), "limitation.view_limitationclock",
                     refresh_job))
