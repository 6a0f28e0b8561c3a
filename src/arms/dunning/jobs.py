"""Dunning work that runs as background jobs (``arms.common.jobs``), registered in ``DunningConfig.ready``.

- ``dunning.run``: the day's run started from the UI or the API: select what is due (or find the day's run:
  one per company and day) and carry out its waiting actions, one progress step each. One job per day at a
  time (the dedupe key is the date), so a second click or a simultaneous API call gets the same job.
- ``dunning.emails_retry``: send every pending and failed e-mail of the outbox the starter may see, now. One
  per person at a time.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, register
from arms.dunning import selectors
from arms.dunning.models import EmailStatus
from arms.dunning.services import dunning_run, emails_retry, process_actions
from arms.dunning.services.runs import dunning_run_check

RUN = "dunning.run"
EMAILS_RETRY = "dunning.emails_retry"


def run_job_start(*, as_of: date, trigger: str, actor):
    """Queue the day's dunning run; bad input (a future day) is refused now, before anything is queued."""
    dunning_run_check(as_of=as_of, trigger=trigger)
    return job_start(kind=RUN, params={"as_of": as_of.isoformat(), "trigger": trigger}, actor=actor,
                     dedupe_key=as_of.isoformat())


def run_job(job, progress) -> JobResult:
    as_of = date.fromisoformat(job.params["as_of"])
    progress(0, None, gettext_noop("Selecting what is due on %(date)s"), date=as_of.isoformat())
    run = dunning_run(as_of=as_of, trigger=job.params["trigger"], actor=job.started_by, process=False)
    counts = process_actions(run.pk, progress=progress)
    return JobResult(
        url=reverse("dunning:run", args=[run.pk]), api_url=f"/api/v1/dunning/runs/{run.pk}",
        label=gettext_noop("Open the dunning run of %(as_of)s"),
        data={"run_id": run.pk, "as_of": run.as_of.isoformat(), "actions": run.actions_count, **counts})


def emails_retry_job_start(*, actor):
    return job_start(kind=EMAILS_RETRY, params={}, actor=actor, dedupe_key=f"user:{actor.pk}")


def emails_retry_job(job, progress) -> JobResult:
    counts = {}
    if job.started_by is not None:
        visible = selectors.email_list(user=job.started_by).order_by().values("pk")
        counts = emails_retry(manual=True, ids=visible, progress=progress)
    return JobResult(url=reverse("dunning:emails"), api_url="/api/v1/dunning/emails",
                     label=gettext_noop("Sent: %(sent)d, failed: %(failed)d. Open the outbox"),
                     data={"sent": counts.get(EmailStatus.SENT, 0), "failed": counts.get(EmailStatus.FAILED, 0),
                           "counts": counts})


def register_jobs() -> None:
    register(JobKind(RUN, gettext_lazy("Dunning run"), "dunning.view_dunningrun", run_job))
    register(JobKind(EMAILS_RETRY, gettext_lazy("Sending the dunning e-mails"), "dunning.view_dunningemail",
                     emails_retry_job))
