"""The monthly management report made on demand runs as a background job (``arms.common.jobs``).

Laying out the report takes from seconds to most of a minute, longer than a web request may take, so the
page and the API queue a ``reports.monthly`` job and show (or answer with) its progress; the job stores the
run and links to its file. One job per month, format and e-mail choice at a time: asking again while it is
under way returns the same job. Registered in ``ReportsConfig.ready``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, register
from arms.reports.services import report_format_check, report_generate, report_month_check

MONTHLY = "reports.monthly"


def monthly_job_key(*, month: str, fmt: str, email: bool) -> str:
    return f"{month}:{fmt}:{'email' if email else 'file'}"


def monthly_job_start(*, month, fmt: str, email: bool, trigger: str, actor):
    """Queue the month's report; a bad month or format is refused now (422 naming the field), not in the job."""
    month = report_month_check(month)
    fmt = report_format_check(fmt)
    text = f"{month:%Y-%m}"
    return job_start(kind=MONTHLY, params={"month": text, "format": fmt, "email": bool(email), "trigger": trigger},
                     actor=actor, dedupe_key=monthly_job_key(month=text, fmt=fmt, email=bool(email)))


def monthly_job(job, progress) -> JobResult:
    params = job.params
    run = report_generate(month=params["month"], fmt=params["format"], trigger=params["trigger"],
                          actor=job.started_by, email=params.get("email", False), progress=progress)
    return JobResult(
        url=reverse("reports:run_download", args=[run.pk]), api_url=f"/api/v1/reports/runs/{run.pk}/file",
        label=gettext_noop("Download %(filename)s"),
        data={"report_run_id": run.pk, "filename": run.filename, "month": params["month"], "format": run.format,
              "sha256": run.sha256, "size_bytes": run.size_bytes, "emailed_to": list(run.emailed_to or [])})


def register_jobs() -> None:
    register(JobKind(MONTHLY, gettext_lazy("Monthly management report"), "reports.view_reportrun", monthly_job))
