"""Bounds on what a user's file may make ARMS do: the one place that decides how big an upload may grow.

An XLSX file is a zip archive, and a zip archive can promise far more than it weighs: 1.5 MB of deflated,
repeated rows unpack to a gigabyte of sheet XML, and openpyxl reads the whole shared-strings table into
memory before the first row. So before openpyxl sees a user's workbook, ``xlsx_check`` reads the archive's
directory (a few kilobytes, nothing is unpacked) and refuses it when

- the members together unpack to more than ``ARMS_XLSX_MAX_UNPACKED_BYTES`` (default 200 MB),
- one member unpacks to more than ``ARMS_XLSX_MAX_MEMBER_BYTES`` (default 100 MB), or
- a member larger than 1 MB unpacks to more than ``ARMS_XLSX_MAX_RATIO`` times its packed size (default 100;
  real sheets pack 5 to 20 times, a bomb of repeated rows a thousand times).

The sizes in the directory are the ones Python's ``zipfile`` enforces while unpacking (it stops at the
declared size and then fails the CRC check), so a lying directory makes a broken file, not a bigger one.

Once the file is open, ``RowBudget`` counts what is read: at most ``ARMS_IMPORT_MAX_ROWS`` rows (default
100,000) and ``ARMS_IMPORT_MAX_CELLS`` cells (default 2,000,000), for XLSX and CSV alike; a CSV file is
also bounded by ``ARMS_IMPORT_MAX_BYTES`` (default 20 MB, the upload limit).

Every such refusal is an ``UploadTooLarge`` (422, code ``import_too_large``) whose message names the limit.

Any uploaded file (an attachment, a contract scan, an import) is at most ``ARMS_UPLOAD_MAX_BYTES`` (20 MB):
``upload_check`` refuses a bigger one with ``FileTooLarge`` (413, code ``file_too_large``). Files come as
multipart form data; Django spools one above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file, so a big
upload never sits in memory, while ``DATA_UPLOAD_MAX_MEMORY_SIZE`` keeps bounding JSON and form fields.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from arms.common.errors import ArmsError, ErrorCode, ValidationFailed

#: members smaller than this are never refused for their ratio (tiny XML parts pack very well)
RATIO_FLOOR_BYTES = 1 << 20


class UploadTooLarge(ValidationFailed):
    code = ErrorCode.IMPORT_TOO_LARGE

    def __init__(self, message: str, *, limit: int, field: str = "file"):
        super().__init__(message, field=field, limit=limit)


def _setting(name: str) -> int:
    return int(getattr(settings, name))


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB" if size >= 1 << 20 else f"{size:,} B"


class FileTooLarge(ArmsError):
    status = 413
    code = ErrorCode.FILE_TOO_LARGE


def upload_max_bytes() -> int:
    return _setting("ARMS_UPLOAD_MAX_BYTES")


def upload_too_large_message() -> str:
    return _("The file is larger than %(limit)s; ARMS accepts files of at most %(limit)s.") % {
        "limit": _megabytes(upload_max_bytes())}


def upload_check(file, *, field: str = "file") -> None:
    """Refuse an uploaded file (anything with ``size``) larger than ``ARMS_UPLOAD_MAX_BYTES``."""
    limit = upload_max_bytes()
    if file is not None and file.size > limit:
        raise FileTooLarge(upload_too_large_message(), field=field, limit=limit)


def xlsx_check(file: BinaryIO) -> None:
    """Refuse an XLSX archive that would unpack to more than the configured bounds; rewinds ``file``."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        file.seek(0)
        return  # not a readable archive: the reader says so in its own words
    finally:
        file.seek(0)
    max_total = _setting("ARMS_XLSX_MAX_UNPACKED_BYTES")
    max_member = _setting("ARMS_XLSX_MAX_MEMBER_BYTES")
    max_ratio = _setting("ARMS_XLSX_MAX_RATIO")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > max_member:
            raise UploadTooLarge(
                _("The workbook part %(name)s unpacks to %(size)s; ARMS reads at most %(limit)s per part. "
                  "Split the file or save it as CSV.")
                % {"name": member.filename[:100], "size": _megabytes(member.file_size),
                   "limit": _megabytes(max_member)}, limit=max_member)
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > max_ratio * max(member.compress_size, 1):
            raise UploadTooLarge(
                _("The workbook part %(name)s unpacks to %(ratio)s times its packed size; ARMS accepts at most "
                  "%(limit)s times (a file that inflates like this is a zip bomb, not a spreadsheet).")
                % {"name": member.filename[:100], "ratio": f"{member.file_size // max(member.compress_size, 1):,}",
                   "limit": max_ratio}, limit=max_ratio)
    if total > max_total:
        raise UploadTooLarge(
            _("The workbook unpacks to %(size)s; ARMS reads at most %(limit)s. Split the file or save it as CSV.")
            % {"size": _megabytes(total), "limit": _megabytes(max_total)}, limit=max_total)


def text_file_check(file: BinaryIO) -> None:
    """Refuse a text (CSV) upload larger than ``ARMS_IMPORT_MAX_BYTES``; rewinds ``file``."""
    limit = _setting("ARMS_IMPORT_MAX_BYTES")
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size > limit:
        raise UploadTooLarge(_("The file is %(size)s; ARMS reads at most %(limit)s. Split the file.")
                             % {"size": _megabytes(size), "limit": _megabytes(limit)}, limit=limit)


def rows_bounded(rows: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """Pass ``rows`` through, refusing the file once it has more rows or cells than configured."""
    max_rows = _setting("ARMS_IMPORT_MAX_ROWS")
    max_cells = _setting("ARMS_IMPORT_MAX_CELLS")
    count = cells = 0
    for line, values in rows:
        count += 1
        cells += len(values)
        if count > max_rows:
            raise UploadTooLarge(_("The file has more than %(limit)s rows; ARMS imports at most %(limit)s rows "
                                   "at a time. Split the file.") % {"limit": f"{max_rows:,}"}, limit=max_rows)
        if cells > max_cells:
            raise UploadTooLarge(_("The file has more than %(limit)s cells (by line %(line)s); ARMS imports at "
                                   "most %(limit)s cells at a time. Split the file or remove empty columns.")
                                 % {"limit": f"{max_cells:,}", "line": line}, limit=max_cells)
        yield line, values
