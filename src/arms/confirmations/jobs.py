"""Background jobs of confirmations (``arms.common.jobs``), registered in ``ConfirmationsConfig.ready``.

- ``confirmations.prepare``: make the letters of a run with more customers than a request should wait for
  (``run_prepare``: one customer per transaction, so a failed job continues where it stopped when started
  again). One job per run at a time (the dedupe key).
- ``confirmations.send``: e-mail a run's prepared letters (each renders its PDF), when there are more than
  ``SEND_INLINE``; a letter sent is no longer prepared, so a job started again sends only the rest.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, register
from arms.confirmations.models import ConfirmationRun
from arms.confirmations.services.dispatch import run_send
from arms.confirmations.services.runs import PREPARE_JOB as PREPARE
from arms.confirmations.services.runs import run_prepare

SEND = "confirmations.send"
#: a request e-mails at most this many letters itself; more go to the queue
SEND_INLINE = 5


def send_job_start(*, run, actor):
    """Queue the e-mailing of ``run``'s prepared letters; answers (job, created)."""
    return job_start(kind=SEND, params={"run_id": run.pk}, actor=actor, dedupe_key=f"send:{run.pk}")


def send_job(job, progress) -> JobResult:
    run = ConfirmationRun.objects.get(pk=job.params["run_id"])
    message = gettext_noop("E-mailing confirmation letters")
    progress(0, None, message)
    counts = run_send(run=run, actor=job.started_by, progress=lambda done, total: progress(done, total, message))
    return JobResult(
        url=f"/confirmations/runs/{run.pk}/", api_url=f"/api/v1/confirmations/runs/{run.pk}",
        label=gettext_noop("E-mailed %(sent)d letters; %(no_email)d customers have no e-mail address"),
        data=counts,
    )


def prepare_job(job, progress) -> JobResult:
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
    register(JobKind(SEND, gettext_lazy("Balance confirmation e-mails"), "confirmations.view_confirmation",
                     send_job))
