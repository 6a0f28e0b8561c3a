"""File -> rows of strings. CSV (UTF-8 with or without BOM, or GB18030/GBK as Chinese Excel saves it)
and XLSX (the first sheet). Nothing here knows what a customer or an invoice is.

``Table`` settles the format, the encoding and the SHA-256 in one streaming pass over the bytes; each
call of ``rows()`` then streams the rows again from the start, so a file of any length is read with
constant memory, as often as the import needs (once to check, once to write).

Each row comes with the line number the user sees: the sheet's row number in XLSX, the line on which
the record starts in CSV (the same as Excel's row number unless a quoted cell spans lines).
"""

from __future__ import annotations

import csv
import hashlib
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import BinaryIO

from django.utils.translation import gettext as _

from arms.imports.errors import ImportUnreadable

_CHUNK = 1 << 16
_UTF8_BOM = b"\xef\xbb\xbf"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 binary .xls
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Table:
    """A CSV or XLSX file opened for reading rows. ``file`` is a binary file that can seek."""

    def __init__(self, file: BinaryIO, filename: str = ""):
        self.file = file
        self.filename = filename
        file.seek(0)
        head = file.read(8)
        file.seek(0)
        if not head:
            raise ImportUnreadable(_("The file is empty."))
        if head.startswith(_OLE_MAGIC):
            raise ImportUnreadable(_("This is an old Excel .xls file; save it as .xlsx or as CSV UTF-8."))
        if head.startswith(_UTF16_BOMS):
            raise ImportUnreadable(_("The file is UTF-16 text (Excel's \"Unicode text\"); ARMS reads UTF-8 or "
                                     "GB18030/GBK: save it as \"CSV UTF-8\" or as .xlsx."))
        self.format = "xlsx" if head.startswith(_ZIP_MAGIC) else "csv"
        if self.format == "xlsx":
            self.encoding = ""
            self.sha256 = _sha256(file)
        else:
            self.sha256, self.encoding = _inspect_csv(file)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells as text) for every row, blank rows included."""
        self.file.seek(0)
        return _csv_rows(self.file, self.encoding) if self.format == "csv" else _xlsx_rows(self.file)


def _sha256(file: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(_CHUNK), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _inspect_csv(file: BinaryIO) -> tuple[str, str]:
    """(sha256, encoding): UTF-8 if every line decodes as UTF-8, else GB18030 if every line does, else refuse.

    Lines can be decoded one by one because neither encoding uses the byte 0x0A inside a character.
    """
    digest = hashlib.sha256()
    failures: dict[str, tuple[int, int]] = {}
    has_bom = False
    for number, raw in enumerate(file, start=1):
        digest.update(raw)
        if number == 1:
            has_bom = raw.startswith(_UTF8_BOM)
        for encoding in ("utf-8", "gb18030"):
            if encoding not in failures:
                try:
                    raw.decode(encoding)
                except UnicodeDecodeError as exc:
                    failures[encoding] = (number, raw[exc.start])
        if len(failures) == 2:
            break
    if "utf-8" not in failures:
        return digest.hexdigest(), "utf-8-sig" if has_bom else "utf-8"
    if has_bom or "gb18030" in failures:
        utf8_line, utf8_byte = failures["utf-8"]
        message = _("The file is not UTF-8 text: byte 0x%(byte)02X on line %(line)s cannot be decoded.") % {
            "byte": utf8_byte, "line": utf8_line}
        if not has_bom:
            gb_line, gb_byte = failures["gb18030"]
            message = _("The file is neither UTF-8 nor GB18030/GBK text: as UTF-8, byte 0x%(byte8)02X on line "
                        "%(line8)s cannot be decoded; as GB18030, byte 0x%(byte18)02X on line %(line18)s cannot.") % {
                "byte8": utf8_byte, "line8": utf8_line, "byte18": gb_byte, "line18": gb_line}
        raise ImportUnreadable(message + " " + _("Save the file as \"CSV UTF-8\" or as .xlsx and try again."))
    return digest.hexdigest(), "gb18030"


def _csv_rows(file: BinaryIO, encoding: str) -> Iterator[tuple[int, list[str]]]:
    lines = (raw.decode(encoding) for raw in file)
    reader = csv.reader(lines)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportUnreadable(_("The CSV file is malformed near line %(line)s: %(problem)s")
                               % {"line": reader.line_num, "problem": exc}) from exc


def _xlsx_rows(file: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and data validation it does not read; they do not matter here.
            warnings.simplefilter("ignore")
            book = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportUnreadable(_("The file is not a readable .xlsx workbook (%(problem)s).")
                               % {"problem": exc}) from exc
    try:
        sheet = book.worksheets[0]
        # The <dimension> a producer writes can be stale; reading to the real end is the safe choice.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, [cell_text(value) for value in values]
    finally:
        book.close()


def cell_text(value) -> str:
    """An Excel cell's value as the text a user would type for it.

    A number becomes its exact decimal digits: openpyxl hands over a float, and ``repr`` of a float is the
    shortest text that reads back as the same float, which is the text Excel stored ("1234.56", not
    "1234.5599999999999"). ``Decimal`` then writes it without an exponent. The amount parser decides
    later whether those digits are a valid amount: 0.30000000000000004 has too many decimals and is refused.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
