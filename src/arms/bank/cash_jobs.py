"""Background jobs of cash application (``arms.common.jobs``), registered in ``BankConfig.ready``.

- ``cash.match``: match the open statement lines (all NEW lines, or the given ones, of one account or day) and apply
  what is sure enough (``arms.bank.services.matching.match_lines``). One run per account and day at a time (the
  dedupe key), so a second click or a simultaneous API call gets the same job.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy, gettext_noop

from arms.bank.models import BankAccount
from arms.bank.services.matching import match_lines
from arms.common.jobs import JobKind, JobResult, job_start, register

MATCH = "cash.match"
#: at most this many line ids are passed to a job (the rest: run without ids, it takes every NEW line)
MAX_JOB_LINES = 200


def match_job_start(*, actor, line_ids: list[int] | None = None, account_id: int | None = None,
                    on: date | None = None, auto: bool = True):
    """Queue a matching run; answers (job, created)."""
    params = {"line_ids": line_ids, "account_id": account_id, "on": on.isoformat() if on else None, "auto": auto}
    key = f"{account_id or '*'}:{on.isoformat() if on else '*'}:{'ids' if line_ids else 'new'}"
    return job_start(kind=MATCH, params=params, actor=actor, dedupe_key=key)


def match_job(job, progress) -> JobResult:
    params = job.params
    account = BankAccount.objects.filter(pk=params.get("account_id")).first() if params.get("account_id") else None
    message = gettext_noop("Matching the statement lines")
    progress(0, None, message)
    run = match_lines(
        actor=job.started_by, line_ids=params.get("line_ids"), account=account,
        on=date.fromisoformat(params["on"]) if params.get("on") else None, auto=bool(params.get("auto", True)),
        progress=lambda done, total: progress(done, total, message),
    )
    return JobResult(
        api_url="/api/v1/cash/lines",
        label=gettext_noop("Matched %(lines)d lines: %(auto_applied)d applied, %(suggested)d to review"),
        data={"lines": run.lines, "auto_applied": run.auto_applied, "suggested": run.suggested,
              "unmatched": run.unmatched, "ignored": run.ignored},
    )


def register_jobs() -> None:
    register(JobKind(MATCH, gettext_lazy("Cash application run"), "bank.apply_cash", match_job))
