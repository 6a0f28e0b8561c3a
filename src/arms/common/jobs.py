"""Background jobs: work too long for a web request runs in the queue consumer, and pages and clients poll it.

A *job kind* is registered once, by the app that owns the work, in its ``AppConfig.ready()`` (the foundation
imports no capability, ADR 0006; the registry is how it finds their work)::

    jobs.register(JobKind("reports.monthly", _("Monthly management report"), "reports.view_reportrun", run))

where ``run(job, progress) -> JobResult | None`` reads ``job.params`` and ``job.started_by``, calls services,
reports ``progress(done, total, message_id, **values)`` and returns what it made. A view or endpoint starts
one and answers at once (the web UI shows the job's status partial; the API answers 202 with the job)::

    job, created = job_start(kind="reports.monthly", params={...}, actor=request.user, dedupe_key="2026-10:pdf")

- ``job_start`` checks the kind and the size of the parameters, writes the job ``queued`` and hands it to the
  queue once the caller's transaction commits. While a job of the same kind and dedupe key is queued or
  running, starting it again returns that job: a conditional unique constraint decides, so two clicks, two
  tabs or 32 simultaneous API calls make one job on SQLite and PostgreSQL alike.
- ``job_run`` is the worker: it claims the job with one conditional UPDATE (queued -> running; a task handed
  out twice runs once), calls the kind's function in the language of the person who started it, and stores
  the result (a link to what was made, a file served as an attachment, a small summary) or the failure.
  A refusal (``ArmsError``) is kept as its message and code; anything else is logged with its traceback and
  the person reads only that it failed and under which job number the log has the details.
- Seeing a job: the person who started it, and whoever holds the kind's permission (the permission to see
  what such jobs make). Anybody else gets "not found".
- ``jobs_sweep`` (every minute, from the heartbeat task) fails a running job whose consumer stopped reporting
  (the process died) and a queued job no consumer took for a day, so neither holds its dedupe key forever.

Jobs are not audit events: the services a job calls write their own, with the person who started it as actor.
Progress messages are stored as message ids with their values and translated when shown; errors are written
in the starter's language when the job fails.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from huey.contrib.djhuey import db_task

from arms.common.actors import user_or_none
from arms.common.errors import ArmsError, Conflict, ErrorCode, NotFound, ValidationFailed
from arms.common.models import JOB_ACTIVE, Job, JobStatus
from arms.common.queue import consumer_name, heartbeat_touch

log = logging.getLogger(__name__)

#: parameters are a few ids, dates and flags; anything bigger is a mistake (or an attempt to fill the table)
MAX_PARAMS_BYTES = 4_000
#: a running job that has not reported for this long lost its consumer
RUNNING_STALE_AFTER = timedelta(minutes=30)
#: a queued job nobody took for this long is given up (its task was lost with the queue)
QUEUED_STALE_AFTER = timedelta(days=1)
#: progress is written at most this often (seconds), except when the message changes or the work is complete
PROGRESS_INTERVAL = 1.0

#: the only media types a job's file is served as; anything else is application/octet-stream
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
    ".zip": "application/zip",
    ".json": "application/json",
}


@dataclass(frozen=True)
class JobResult:
    """What a job made: a link to it (in the UI and in the API), a file, and a summary for programs.

    ``label`` is a message id shown on the result link, formatted with ``data`` ("Download %(filename)s").
    """

    url: str = ""
    api_url: str = ""
    label: str = ""
    data: dict = field(default_factory=dict)
    file_name: str = ""
    file_content: bytes | None = None


class Progress:
    """The reporter a job's function calls: ``progress(done, total, message_id, **values)``.

    Writes are throttled (a loop over 10,000 e-mails writes about once a second), and each write also tells
    the queue health that this consumer is alive.
    """

    def __init__(self, job: Job):
        self.job = job
        self._written_at = 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "", /, **values) -> None:
        done = max(0, int(done))
        if total is not None:
            total = max(0, int(total))
            done = min(done, total)
        changed = message != self.job.message or values != self.job.message_params
        complete = total is not None and done >= total
        job = self.job
        job.progress_done, job.progress_total = done, total
        job.message, job.message_params = message[:300], values
        if not (changed or complete or time.monotonic() - self._written_at >= PROGRESS_INTERVAL):
            return
        job.updated_at = timezone.now()
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            progress_done=done, progress_total=total, message=job.message, message_params=values,
            updated_at=job.updated_at)
        self._written_at = time.monotonic()
        heartbeat_touch()


@dataclass(frozen=True)
class JobKind:
    """A registered kind of work. ``permission`` lets its holders see every job of the kind."""

    name: str
    label: str
    permission: str
    run: Callable[[Job, Progress], JobResult | None]


_kinds: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    """Register (or replace: ``ready()`` may run again) a kind of job."""
    _kinds[kind.name] = kind


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def kind_get(name: str) -> JobKind | None:
    return _kinds.get(name)


def kind_label(name: str) -> str:
    kind = _kinds.get(name)
    return str(kind.label) if kind else name


def safe_content_type(filename: str) -> str:
    return CONTENT_TYPES.get(PurePath(filename).suffix.lower(), "application/octet-stream")


# ---------------------------------------------------------------------------------------------- starting


def _checked_params(params: dict | None) -> dict:
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise ValidationFailed(_("The job's parameters must be an object."), field="params")
    try:
        encoded = json.dumps(params, sort_keys=True, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        raise ValidationFailed(_("The job's parameters cannot be stored."), field="params") from None
    if len(encoded.encode()) > MAX_PARAMS_BYTES:
        raise ValidationFailed(_("The job's parameters are too large (at most %(limit)d bytes).")
                               % {"limit": MAX_PARAMS_BYTES}, field="params")
    return json.loads(encoded)


def job_active_get(*, kind: str, dedupe_key: str) -> Job | None:
    """The queued or running job of ``kind`` with ``dedupe_key``, if there is one."""
    if not dedupe_key:
        return None
    return Job.objects.filter(kind=kind, dedupe_key=dedupe_key, status__in=JOB_ACTIVE).select_related(
        "started_by").first()


def job_start(*, kind: str, params: dict | None = None, actor=None, dedupe_key: str = "") -> tuple[Job, bool]:
    """Queue a job of ``kind``; returns (job, created). See the module docstring.

    With a ``dedupe_key``, a job of the same kind and key that is queued or running is returned instead
    (created False). The job is handed to the queue after the caller's transaction commits. The caller has
    checked that ``actor`` may start this work, and has refused bad input (nothing is queued for it).
    """
    if kind not in _kinds:
        raise ValidationFailed(_("Unknown kind of job: %(kind)s.") % {"kind": kind[:60]}, field="kind")
    params = _checked_params(params)
    dedupe_key = str(dedupe_key or "")
    if len(dedupe_key) > 200:
        raise ValidationFailed(_("The deduplication key is too long."), field="dedupe_key")
    user = user_or_none(actor)
    for _attempt in range(3):
        existing = job_active_get(kind=kind, dedupe_key=dedupe_key)
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                job = Job.objects.create(kind=kind, params=params, dedupe_key=dedupe_key, started_by=user,
                                         language=translation.get_language() or settings.LANGUAGE_CODE)
        except IntegrityError:
            continue  # a simultaneous start of the same kind and key won: answer with its job
        transaction.on_commit(lambda pk=job.pk: _enqueue(pk), robust=True)
        return job, True
    raise Conflict(_("The job is being started by someone else at this moment; try again."), field="kind",
                   code=ErrorCode.JOB_BUSY)


def _enqueue(job_id: int) -> None:
    job_execute(job_id)


@db_task()
def job_execute(job_id: int) -> str:
    """The queue task that runs one job (``job_run``); a job records its own failure, so the task never raises
    and Huey never retries it (starting the job again is the person's decision)."""
    return job_run(job_id)


# ---------------------------------------------------------------------------------------------- running


def _fail(job: Job, *, error: str, code: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=error[:4000], error_code=code[:60],
                                         finished_at=now, updated_at=now)
    job.status, job.error, job.error_code, job.finished_at = JobStatus.FAILED, error, code, now


def _finish(job: Job, result: JobResult) -> None:
    now = timezone.now()
    job.status, job.finished_at, job.updated_at = JobStatus.DONE, now, now
    if job.progress_total is not None:
        job.progress_done = job.progress_total
    job.result_url, job.result_api_url = result.url[:300], result.api_url[:300]
    job.result_label, job.result_data = result.label[:200], _checked_params(result.data)
    fields = ["status", "finished_at", "updated_at", "progress_done", "result_url", "result_api_url",
              "result_label", "result_data"]
    if result.file_content is not None:
        name = PurePath(result.file_name or "result").name[:150]
        job.result_file.save(name, ContentFile(result.file_content), save=False)
        job.result_content_type = safe_content_type(name)
        fields += ["result_file", "result_content_type"]
    job.save(update_fields=fields)


def job_run(job_id: int) -> str:
    """Run the job ``job_id`` if it is still queued (the body of the queue task); returns its final status."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, updated_at=now, worker=consumer_name())
    job = Job.objects.select_related("started_by").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if not claimed:
        return job.status  # already taken by another worker, or given up by the sweep
    heartbeat_touch()
    kind = _kinds.get(job.kind)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            if kind is None:
                raise ArmsError(_("This ARMS does not know jobs of the kind %(kind)s.") % {"kind": job.kind},
                                code=ErrorCode.UNKNOWN_KIND)
            result = kind.run(job, Progress(job)) or JobResult()
        except ArmsError as exc:
            log.info("job %s (%s) refused: %s %s", job.pk, job.kind, exc.code, exc.message)
            _fail(job, error=exc.message, code=exc.code)
        except Exception:
            log.exception("job %s (%s) failed", job.pk, job.kind)
            _fail(job, error=_("The job failed unexpectedly. Nothing was changed by its last step; the "
                               "administrators find the details in the log under job %(id)s.") % {"id": job.pk},
                  code=ErrorCode.INTERNAL)
        else:
            try:
                _finish(job, result)
            except Exception:
                log.exception("job %s (%s): storing the result failed", job.pk, job.kind)
                _fail(job, error=_("The job's work was done but its result could not be stored (job %(id)s).")
                      % {"id": job.pk}, code=ErrorCode.INTERNAL)
    return job.status


def jobs_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Fail running jobs whose consumer went silent and queued jobs nobody took; counts of each."""
    now = now or timezone.now()
    interrupted = Job.objects.filter(status=JobStatus.RUNNING, updated_at__lt=now - RUNNING_STALE_AFTER)
    abandoned = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - QUEUED_STALE_AFTER)
    counts = {
        "interrupted": interrupted.update(
            status=JobStatus.FAILED, finished_at=now, updated_at=now, error_code=ErrorCode.INTERRUPTED,
            error=gettext_noop("The background worker stopped while running this job. Start it again.")),
        "abandoned": abandoned.update(
            status=JobStatus.FAILED, finished_at=now, updated_at=now, error_code=ErrorCode.NOT_STARTED,
            error=gettext_noop("No background worker took this job within a day. Start it again once "
                               "`arms run_huey` is running.")),
    }
    if any(counts.values()):
        log.warning("jobs given up: %s", counts)
    return counts


# ---------------------------------------------------------------------------------------------- reading


def jobs_visible_to(user) -> QuerySet[Job]:
    """The jobs ``user`` may see: their own, and every job of a kind whose permission they hold."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    qs = Job.objects.select_related("started_by")
    if user.is_superuser:
        return qs
    kinds = [kind.name for kind in _kinds.values() if user.has_perm(kind.permission)]
    return qs.filter(Q(started_by=user) | Q(kind__in=kinds))


def job_get(*, user, job_id: int) -> Job:
    job = jobs_visible_to(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Job %(id)s not found.") % {"id": job_id}, field="job_id")
    return job


def job_list(*, user) -> QuerySet[Job]:
    """The jobs ``user`` started, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(started_by=user).select_related("started_by").order_by("-created_at", "-pk")


#: how long a finished job stays on the page of its work (after that: /jobs/)
RECENT = timedelta(hours=1)


def jobs_for_page(*, user, kind: str, limit: int = 3, now: datetime | None = None) -> list[Job]:
    """What a page shows about its kind of work: the visible jobs still queued or running, and the user's own
    that finished within the last hour (so the result or the error is there after the page reloads)."""
    now = now or timezone.now()
    mine_recent = Q(started_by=user, finished_at__gte=now - RECENT) if getattr(user, "is_authenticated",
                                                                              False) else Q(pk__in=[])
    qs = jobs_visible_to(user).filter(kind=kind).filter(Q(status__in=JOB_ACTIVE) | mine_recent)
    return list(qs.order_by("-created_at", "-pk")[:limit])


def job_message_text(job: Job) -> str:
    """The job's current message in the viewer's language."""
    if not job.message:
        return ""
    text = _(job.message)
    try:
        return text % job.message_params if job.message_params else text
    except (KeyError, TypeError, ValueError):
        return text


def job_error_text(job: Job) -> str:
    return _(job.error) if job.error else ""


def job_result_label_text(job: Job) -> str:
    if not job.result_label:
        return _("Open the result")
    text = _(job.result_label)
    try:
        return text % job.result_data if "%(" in text else text
    except (KeyError, TypeError, ValueError):
        return text
