"""Background job of early warning (``arms.common.jobs``), registered in ``EarlyWarningConfig.ready``.

- ``earlywarning.evaluate``: evaluate every active indicator on a day (``warnings_evaluate``), when a person asks
  from the warning log or the API, and every morning from ``tasks.py``. One at a time (the dedupe key).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, register
from arms.earlywarning.services.evaluation import warnings_evaluate

EVALUATE = "earlywarning.evaluate"


def evaluate_job_start(*, as_of: date, actor: Any) -> tuple[Any, bool]:
    return job_start(kind=EVALUATE, params={"as_of": as_of.isoformat()}, actor=actor, dedupe_key="evaluate")


def evaluate_job(job: Any, progress: Any) -> JobResult:
    progress(0, None, gettext_noop("Evaluating the risk indicators"))
    result = warnings_evaluate(as_of=date.fromisoformat(job.params["as_of"]), actor=job.started_by)
    return JobResult(url="/warnings/", api_url="/api/v1/warnings/warnings",
                     label=gettext_noop("%(indicators)d indicators evaluated; %(raised)d warnings raised, "
                                        "%(closed)d closed"),
                     data=result)


def register_jobs() -> None:
    register(JobKind(EVALUATE, gettext_lazy("Risk indicators evaluation"), "earlywarning.view_warning",
                     evaluate_job))
