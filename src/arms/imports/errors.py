"""What an import answers when it refuses a file. Either way nothing was written.

- ``ImportUnreadable``: the file itself cannot be read (wrong encoding, not a CSV or XLSX, empty).
- ``ImportInvalid``: the file was read, but rows (or the header) are wrong; ``details["rows"]`` lists
  every problem as ``{"line", "column", "message"}`` with the line number the user sees in the file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arms.common.errors import ErrorCode, ValidationFailed


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return _("line %(line)s, %(column)s: %(message)s") % {
            "line": self.line, "column": self.column, "message": self.message,
        }


class ImportUnreadable(ValidationFailed):
    code = ErrorCode.IMPORT_UNREADABLE

    def __init__(self, message: str):
        super().__init__(message, field="file")


class ImportInvalid(ValidationFailed):
    code = ErrorCode.IMPORT_INVALID

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        lines = len({e.line for e in errors})
        message = ngettext(
            "%(count)d line of the file is invalid; nothing was imported.",
            "%(count)d lines of the file are invalid; nothing was imported.",
            lines,
        ) % {"count": lines}
        super().__init__(message, rows=[e.as_dict() for e in errors])
