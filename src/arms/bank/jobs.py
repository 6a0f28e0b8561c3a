"""Background jobs of the bank app (``arms.common.jobs``); registered in ``BankConfig.ready``.

A statement file above ``INLINE_MAX_BYTES`` is imported in the queue: the upload page and
``POST /api/v1/bank/statements`` store the file and start a ``bank.statement_import`` job, which imports it
(``arms.bank.services.importing.statement_import``: all of it or nothing), reports its progress (reading, writing
lines, matching) and deletes the stored copy whatever the outcome. A refused file fails the job with the same
message and code the synchronous answer has. The same file for the same account while its job is queued or running
answers with that job (the dedupe key is the account and the file's SHA-256).
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from arms.bank.models import BankAccount
from arms.bank.services.importing import statement_import
from arms.common.jobs import JobKind, JobResult, job_start, register

IMPORT = "bank.statement_import"
#: files up to this size are imported while the request waits; larger ones in the queue
INLINE_MAX_BYTES = 256 * 1024
PENDING_DIR = "bank/pending"

_STAGES = {"read": gettext_noop("Reading the statement file"), "write": gettext_noop("Writing statement lines"),
           "match": gettext_noop("Matching the new lines")}


def is_big(data: bytes) -> bool:
    return len(data) > INLINE_MAX_BYTES


def statement_import_job_start(*, data: bytes, filename: str, account=None, profile: str | None = None, actor):
    """Store the file and queue its import; returns (job, created). The caller checked the permission, the
    upload's size and the account and profile asked for."""
    name = PurePath(filename or "statement").name[:200]
    sha256 = hashlib.sha256(data).hexdigest()
    path = default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}{PurePath(name).suffix.lower()[:8]}",
                                ContentFile(data))
    job, created = job_start(kind=IMPORT, actor=actor, dedupe_key=f"{account.pk if account else '-'}:{sha256}",
                             params={"path": path, "filename": name, "account_id": account.pk if account else None,
                                     "profile": profile or ""})
    if not created:
        default_storage.delete(path)
    return job, created


def statement_import_job(job, progress) -> JobResult:
    params = job.params

    def report(stage: str, done: int, total: int | None) -> None:
        progress(done, total, _STAGES[stage])

    try:
        account = BankAccount.objects.get(pk=params["account_id"]) if params.get("account_id") else None
        with default_storage.open(params["path"], "rb") as handle:
            data = handle.read()
        result = statement_import(actor=job.started_by, data=data, filename=params["filename"], account=account,
                                  profile=params.get("profile") or None, progress=report)
    finally:
        default_storage.delete(params["path"])
    first = next((s.statement_id for s in result.statements if s.statement_id), None)
    return JobResult(
        url=reverse("bank:statement", args=[first]) if first else reverse("bank:statements"),
        api_url=f"/api/v1/bank/statements/{first}" if first else "/api/v1/bank/statements",
        label=gettext_noop("Imported: %(lines_new)d new lines, %(lines_seen)d seen before"),
        data={"lines_new": result.lines_new, "lines_seen": result.lines_seen, "gap": result.gap,
              "statements": [s.statement_id for s in result.statements if s.statement_id]})


def register_jobs() -> None:
    register(JobKind(IMPORT, gettext_lazy("Import of a bank statement"), "bank.view_bankstatement",
                     statement_import_job))
