"""Bank statement files in, ``arms.domain.bankstatement.Statement`` out: CAMT.053, MT940 and Chinese bank exports.

Plain Python (no Django): ``parse_statement_file`` looks at the bytes, not the file name, to pick the reader, and
either returns every statement in the file or refuses the whole file with a ``StatementFileError`` that says where.
"""

from __future__ import annotations

import re

from arms.domain.bankstatement import Statement, StatementFileError

from .camt import parse_camt
from .mt940 import decode, parse_mt940
from .profiles import BUILT_IN, BY_KEY, GENERIC, ColumnProfile
from .tabular import csv_rows, parse_rows, xls_rows, xlsx_rows

__all__ = ["BUILT_IN", "BY_KEY", "GENERIC", "ColumnProfile", "detect_format", "parse_statement_file"]

_SWIFT_TAG = re.compile(r"^:(?:20|25|28C?|6[0-5][FM]?|86):", re.MULTILINE)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (BIFF in an OLE container)
_ZIP = b"PK\x03\x04"  # .xlsx


def detect_format(data: bytes) -> str:
    """camt, mt940, xls, xlsx or csv, from the content."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith(_OLE):
        return "xls"
    if data.startswith(_ZIP):
        return "xlsx"
    if head.startswith(b"<?xml") or head.startswith(b"<Document") or b"urn:iso:std:iso:20022" in head:
        return "camt"
    if _SWIFT_TAG.search(decode(data[:65536])):
        return "mt940"  # a statement, or SWIFT tags that are not one (refused there with the reason)
    return "csv"


def parse_statement_file(
    data: bytes, *, profile: ColumnProfile | None = None, account: str = "", default_currency: str = "CNY"
) -> list[Statement]:
    if not data.strip():
        raise StatementFileError(StatementFileError.EMPTY)
    kind = detect_format(data)
    if kind == "camt":
        return parse_camt(data)
    if kind == "mt940":
        return parse_mt940(data)
    rows = {"xls": xls_rows, "xlsx": xlsx_rows, "csv": csv_rows}[kind](data)
    return [parse_rows(rows, profile=profile, account=account, default_currency=default_currency)]
