"""Background job of incentives (``arms.common.jobs``), registered in ``IncentivesConfig.ready``.

- ``incentives.compute``: compute a scheme's payout sheet on a book too large for a request to wait
  (``services.INLINE_LIMIT``), with progress. One job per scheme at a time (the dedupe key); the sheet is stored
  in one transaction, so a failed job stored nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, register
from arms.incentives.models import IncentiveScheme
from arms.incentives.services import scheme_compute

COMPUTE = "incentives.compute"


def compute_job_start(*, scheme: IncentiveScheme, actor: Any) -> Any:
    """Queue the computation of ``scheme``; answers (job, created)."""
    return job_start(kind=COMPUTE, params={"scheme_id": scheme.pk}, actor=actor, dedupe_key=str(scheme.pk))


def compute_job(job: Any, progress: Any) -> JobResult:
    scheme = IncentiveScheme.objects.get(pk=job.params["scheme_id"])
    message = gettext_noop("Computing the payout sheet")
    progress(0, None, message)
    scheme_compute(actor=job.started_by, scheme=scheme, progress=lambda done, total: progress(done, total, message))
    return JobResult(url=f"/incentives/{scheme.pk}/", api_url=f"/api/v1/incentives/schemes/{scheme.pk}",
                     label=gettext_noop("Payout sheet of %(month)s"), data={"scheme": scheme.pk,
                                                                           "month": f"{scheme.period:%Y-%m}"})


def register_jobs() -> None:
    register(JobKind(COMPUTE, gettext_lazy("Incentive payout sheet"), "incentives.view_incentivescheme",
                     compute_job))
