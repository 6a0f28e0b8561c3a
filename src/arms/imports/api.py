"""/api/v1/imports/{kind}: upload a CSV or XLSX file; all rows are imported or none.

    curl -H "Authorization: Bearer $TOKEN" -F file=@invoices.xlsx "$ARMS/api/v1/imports/invoices?dry_run=true"
    curl -H "Authorization: Bearer $TOKEN" -F file=@invoices.xlsx "$ARMS/api/v1/imports/invoices"

``?dry_run=true`` checks and writes nothing, at once: 200 ``{"kind", "rows", "created", "skipped", "dry_run"}``;
a file with bad rows is 422 with code ``import_invalid`` and ``details.rows = [{"line", "column", "message"},
...]``; a file that cannot be read at all (wrong encoding, not CSV/XLSX, too big) is 422 with code
``import_unreadable`` or ``import_too_large``; a file over 20 MB is 413 ``file_too_large``.

Without it the import runs in the background (``arms.imports.jobs``): 202 with the job and ``Location:
/api/v1/jobs/{id}``; the finished job's ``result_data`` is the summary above, a refused file fails the job
with the same code and message.
"""

from __future__ import annotations

from typing import Literal

from ninja import File, Router, Schema
from ninja.files import UploadedFile

from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.uploads import upload_check
from arms.imports.jobs import import_job_start
from arms.imports.services import import_file

router = Router(tags=["imports"])


class ImportOut(Schema):
    kind: str
    rows: int
    created: int
    skipped: int
    dry_run: bool


@router.post("/{kind}", response={200: ImportOut, **ACCEPTED},
             summary="Import customers, contracts, invoices or payments (a background job; a dry run at once)")
def import_upload(request, kind: Literal["customers", "contracts", "invoices", "payments"],
                  file: File[UploadedFile], dry_run: bool = False,
                  encoding: Literal["", "utf-8", "gb18030", "latin-1", "cp1252"] = ""):
    require_perm(request, "imports.run_import")
    upload_check(file, field="file")
    if dry_run:
        return import_file(kind=kind, file=file.file, filename=file.name or "", actor=request.user, dry_run=True,
                           encoding=encoding)
    job, _created = import_job_start(kind=kind, file=file, filename=file.name or "", encoding=encoding,
                                     actor=request.user)
    return job_accepted(request, job)
