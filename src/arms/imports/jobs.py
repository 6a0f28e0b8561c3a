"""An import of a whole file through the API runs as a background job (``arms.common.jobs``).

Writing 3,000 invoices through the real services takes longer than a web request may (the documented
gunicorn command ends a request after 30 s), so ``POST /api/v1/imports/{kind}`` stores the uploaded file and
answers 202 with a ``imports.file`` job; the job checks and imports it (all rows or none) and deletes the
stored copy. A refused file fails the job with the same message and code the synchronous answer had, and the
first bad rows in the message. ``?dry_run=true`` checks only and writes nothing, so it stays synchronous and
answers at once with every bad row: check a file first, then import it.

Uploading the same file for the same kind again while its job is queued or running returns that job (the
dedupe key is the kind and the file's SHA-256). Registered in ``ImportsConfig.ready``.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.errors import ArmsError
from arms.common.jobs import JobKind, JobResult, job_start, register
from arms.imports.errors import ImportInvalid
from arms.imports.readers import Table
from arms.imports.services import import_file

FILE = "imports.file"
#: where uploaded files wait for their job (deleted by the job, whatever its outcome)
PENDING_DIR = "imports/pending"
#: how many bad rows a failed job names in its message (the dry run lists them all)
ROWS_IN_MESSAGE = 20

_STAGES = {"check": gettext_noop("Checking rows"), "write": gettext_noop("Importing rows")}


def _sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def import_job_start(*, kind: str, file, filename: str, encoding: str = "", actor):
    """Store ``file`` and queue its import; returns (job, created). The caller has checked the permission and
    the upload's size. A file that cannot be read at all (its format, encoding, size in the archive) is refused
    now, before anything is stored or queued; its rows are checked by the job."""
    Table(file, filename, encoding)
    sha256 = _sha256(file)
    suffix = PurePath(filename or "").suffix.lower()[:8]
    path = default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}{suffix}", file)
    job, created = job_start(kind=FILE, actor=actor, dedupe_key=f"{kind}:{sha256}", params={
        "kind": kind, "path": path, "filename": PurePath(filename or "").name[:200], "encoding": encoding})
    if not created:
        default_storage.delete(path)  # the same file is being imported already: its job answers
    return job, created


def import_job(job, progress) -> JobResult:
    params = job.params

    def report(stage: str, done: int, total: int | None) -> None:
        progress(done, total, _STAGES[stage])

    try:
        with default_storage.open(params["path"], "rb") as handle:
            result = import_file(kind=params["kind"], file=handle, filename=params["filename"],
                                 actor=job.started_by, encoding=params.get("encoding", ""), progress=report)
    except ImportInvalid as exc:
        rows = "; ".join(str(error) for error in exc.errors[:ROWS_IN_MESSAGE])
        more = len(exc.errors) - ROWS_IN_MESSAGE
        if more > 0:
            rows += "; " + _("and %(count)d more (check the file with dry_run=true for all)") % {"count": more}
        raise ArmsError(f"{exc.message} {rows}", code=exc.code) from exc
    finally:
        default_storage.delete(params["path"])
    return JobResult(label=gettext_noop("Imported: %(created)d created, %(skipped)d already in ARMS"),
                     data={"kind": result.kind, "rows": result.rows, "created": result.created,
                           "skipped": result.skipped, "dry_run": False, "import_run_id": result.run_id})


def register_jobs() -> None:
    register(JobKind(FILE, gettext_lazy("Import of a file"), "imports.view_importrun", import_job))
