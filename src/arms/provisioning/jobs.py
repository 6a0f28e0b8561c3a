"""Background job of provisioning (``arms.common.jobs``), registered in ``ProvisioningConfig.ready``.

- ``provisioning.post``: post a month end's run when it concerns more customers than a request should wait for
  (``services.INLINE_LIMIT``): one journal entry per customer, with progress. One job per period at a time (the
  dedupe key); the run is one transaction, so a failed job posted nothing and can be started again.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, register
from arms.customers.models import Company
from arms.provisioning.services import provision_run_post

POST = "provisioning.post"


def post_job_start(*, company: Company, as_of: date, actor):
    """Queue the posting of ``as_of``'s run; answers (job, created)."""
    return job_start(kind=POST, params={"company_id": company.pk, "as_of": as_of.isoformat()}, actor=actor,
                     dedupe_key=f"{company.pk}:{as_of.isoformat()}")


def post_job(job, progress) -> JobResult:
    company = Company.objects.get(pk=job.params["company_id"])
    as_of = date.fromisoformat(job.params["as_of"])
    message = gettext_noop("Posting the allowance for doubtful accounts")
    progress(0, None, message)
    run = provision_run_post(actor=job.started_by, company=company, as_of=as_of,
                             progress=lambda done, total: progress(done, total, message))
    return JobResult(
        url=f"/provisioning/runs/{run.pk}/", api_url=f"/api/v1/provisioning/runs/{run.pk}",
        label=gettext_noop("Posted the allowance of %(period)s"),
        data={"run": run.pk, "period": f"{as_of:%Y-%m}", "true_up_minor": run.true_up_minor},
    )


def register_jobs() -> None:
    register(JobKind(POST, gettext_lazy("Bad-debt provision run"), "provisioning.view_provisionrun", post_job))
