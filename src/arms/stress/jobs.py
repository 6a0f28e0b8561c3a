"""Background job of stress tests (``arms.common.jobs``), registered in ``StressConfig.ready``.

- ``stress.run``: run a scenario on a book too large for a request to wait (``services.INLINE_LIMIT``), with
  progress. One job per scenario and day at a time (the dedupe key); the run is stored in one transaction, so a
  failed job stored nothing and can be started again.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, register
from arms.stress.models import Scenario
from arms.stress.services import scenario_run

RUN = "stress.run"


def run_job_start(*, scenario: Scenario, as_of: date, actor):
    """Queue the run of ``scenario`` as of ``as_of``; answers (job, created)."""
    return job_start(kind=RUN, params={"scenario_id": scenario.pk, "as_of": as_of.isoformat()}, actor=actor,
                     dedupe_key=f"{scenario.pk}:{as_of.isoformat()}")


def run_job(job, progress) -> JobResult:
    scenario = Scenario.objects.select_related("company").get(pk=job.params["scenario_id"])
    as_of = date.fromisoformat(job.params["as_of"])
    message = gettext_noop("Running the stress scenario")
    progress(0, None, message)
    run = scenario_run(actor=job.started_by, scenario=scenario, as_of=as_of,
                       progress=lambda done, total: progress(done, total, message))
    return JobResult(
        url=f"/stress/runs/{run.pk}/", api_url=f"/api/v1/stress/runs/{run.pk}",
        label=gettext_noop("Stress scenario run as of %(day)s"),
        data={"run": run.pk, "day": as_of.isoformat()},
    )


def register_jobs() -> None:
    register(JobKind(RUN, gettext_lazy("Stress scenario run"), "stress.view_scenariorun", run_job))
