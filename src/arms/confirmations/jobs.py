"""Background jobs of confirmations (``arms.common.jobs``), registered in ``ConfirmationsConfig.ready``.

- ``confirmations.prepare``: make the letters of a run with more customers than a request should wait for
  (``run_prepare``: one customer per transaction, so a failed job continues where it stopped when started
  again). One job per run at a time (the dedupe key).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, register

PREPARE = "confirmations.prepare"


def prepare_job_start(*, run, actor):
    """Queue the preparation of ``run``'s letters; answers the job."""
    job, _created = job_start(kind=PREPARE, params={"run_id": run.pk}, actor=actor, dedupe_key=f"run:{run.pk}")
    return job


def prepare_job(job, progress) -> JobResult:
    from arms.confirmations.models import ConfirmationRun
    from arms.confirmations.services.runs import run_prepare

    run = ConfirmationRun.objects.get(pk=job.params["run_id"])
    message = gettext_noop("Preparing confirmation letters")
    progress(0, None, message)
    made = run_prepare(run=run, actor=job.started_by, progress=lambda done, total, _m="": progress(done, total,
                                                                                                   message))
    return JobResult(
        url=f"/confirmations/runs/{run.pk}/", api_url=f"/api/v1/confirmations/runs/{run.pk}",
        label=gettext_noop("Prepared %(made)d confirmation letters"), data={"made": made, "run": run.pk},
    )


def register_jobs() -> None:
    register(JobKind(PREPARE, gettext_lazy("Balance confirmation run"), "confirmations.view_confirmation",
                     prepare_job))
