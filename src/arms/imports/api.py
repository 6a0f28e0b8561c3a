"""/api/v1/imports/{kind}: upload a CSV or XLSX file; all rows are imported or none.

    curl -H "Authorization: Bearer $TOKEN" -F file=@invoices.xlsx "$ARMS/api/v1/imports/invoices?dry_run=true"

200 ``{"kind", "rows", "created", "skipped", "dry_run"}``; a file with bad rows is 422 with code
``import_invalid`` and ``details.rows = [{"line", "column", "message"}, ...]``; a file that cannot be read
at all (wrong encoding, not CSV/XLSX) is 422 with code ``import_unreadable``.
"""

from __future__ import annotations

from typing import Literal

from ninja import File, Router, Schema
from ninja.files import UploadedFile

from arms.api import require_perm
from arms.common.uploads import upload_check
from arms.imports.services import import_file

router = Router(tags=["imports"])


class ImportOut(Schema):
    kind: str
    rows: int
    created: int
    skipped: int
    dry_run: bool


@router.post("/{kind}", response=ImportOut, summary="Import customers, contracts, invoices or payments")
def import_upload(request, kind: Literal["customers", "contracts", "invoices", "payments"],
                  file: File[UploadedFile], dry_run: bool = False,
                  encoding: Literal["", "utf-8", "gb18030", "latin-1", "cp1252"] = ""):
    require_perm(request, "imports.run_import")
    upload_check(file, field="file")
    return import_file(kind=kind, file=file.file, filename=file.name or "", actor=request.user, dry_run=dry_run,
                       encoding=encoding)
