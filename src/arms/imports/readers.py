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
from functools import lru_cache
from typing import BinaryIO

from django.utils.translation import gettext as _

from arms.common.uploads import rows_bounded, text_file_check, xlsx_check
from arms.imports.errors import ImportUnreadable

_CHUNK = 1 << 16
_UTF8_BOM = b"\xef\xbb\xbf"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 binary .xls
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

#: the encodings a user may name for a CSV file instead of letting ARMS detect it
ENCODINGS = ("utf-8", "gb18030", "latin-1", "cp1252")

#: GB18030 text whose non-ASCII characters lie outside GB2312 more often than this is taken for text in
#: another encoding (see ``_implausible_gb18030``)
IMPLAUSIBLE_SHARE = 0.2


class Table:
    """A CSV or XLSX file opened for reading rows. ``file`` is a binary file that can seek."""

    def __init__(self, file: BinaryIO, filename: str = "", encoding: str = ""):
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
            xlsx_check(file)
            self.encoding = ""
            self.sha256 = _sha256(file)
        else:
            text_file_check(file)
            self.sha256, self.encoding = _inspect_csv(file, encoding)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells as text) for every row, blank rows included; refused past the row and cell bounds."""
        self.file.seek(0)
        rows = _csv_rows(self.file, self.encoding) if self.format == "csv" else _xlsx_rows(self.file)
        return rows_bounded(rows)


def _sha256(file: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(_CHUNK), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@lru_cache(maxsize=8192)
def _outside_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


class _Plausibility:
    """Counts, over GB18030-decoded text, the non-ASCII characters and those outside GB2312.

    GB2312 (levels 1 and 2: 6,763 hanzi with the common punctuation) covers practically every character of
    Chinese business text; GBK/GB18030 add some 20,000 rare and traditional characters. Bytes of another
    single-byte encoding (Latin-1 "Crée Brûlée": an accented letter followed by an ASCII letter) form
    GB18030 pairs whose second byte is below 0xA1, which GB2312 never uses, so such text decodes to rare
    characters (鑝, 鹟, 閑) almost throughout. A Chinese file with a rare name here and there stays far
    below ``IMPLAUSIBLE_SHARE``; mojibake is far above it.
    """

    def __init__(self):
        self.non_ascii = 0
        self.rare = 0
        self.first_line = 0
        self.example = ""

    def feed(self, number: int, text: str) -> None:
        for char in text:
            if char > "\x7f":
                self.non_ascii += 1
                if _outside_gb2312(char):
                    self.rare += 1
                    if not self.first_line:
                        self.first_line, self.example = number, text.strip()[:60]

    @property
    def implausible(self) -> bool:
        return self.non_ascii > 0 and self.rare / self.non_ascii > IMPLAUSIBLE_SHARE


def _inspect_csv(file: BinaryIO, chosen: str = "") -> tuple[str, str]:
    """(sha256, encoding): UTF-8 if every line decodes as UTF-8, else GB18030 if every line does and reads as
    plausible Chinese text, else refuse. ``chosen`` names the encoding instead (one of ``ENCODINGS``).

    Lines can be decoded one by one because none of these encodings uses the byte 0x0A inside a character.
    """
    if chosen and chosen not in ENCODINGS:
        raise ImportUnreadable(_("Unknown encoding %(encoding)s; use one of %(encodings)s.")
                               % {"encoding": chosen[:40], "encodings": ", ".join(ENCODINGS)})
    digest = hashlib.sha256()
    failures: dict[str, tuple[int, int]] = {}
    has_bom = False
    plausibility = _Plausibility()
    candidates = (chosen,) if chosen else ("utf-8", "gb18030")
    for number, raw in enumerate(file, start=1):
        digest.update(raw)
        if number == 1:
            has_bom = raw.startswith(_UTF8_BOM)
        for encoding in candidates:
            if encoding not in failures:
                try:
                    text = raw.decode(encoding)
                except UnicodeDecodeError as exc:
                    failures[encoding] = (number, raw[exc.start])
                else:
                    if encoding == "gb18030" and not chosen and "utf-8" in failures:
                        plausibility.feed(number, text)
        if len(failures) == len(candidates):
            break
    if chosen:
        if chosen in failures:
            line, byte = failures[chosen]
            raise ImportUnreadable(_("The file is not %(encoding)s text: byte 0x%(byte)02X on line %(line)s "
                                     "cannot be decoded.") % {"encoding": chosen, "byte": byte, "line": line})
        if chosen == "utf-8" and has_bom:
            chosen = "utf-8-sig"
        return digest.hexdigest(), chosen
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
    if plausibility.implausible:
        raise ImportUnreadable(
            _("The file is not UTF-8, and read as GB18030/GBK it gives implausible text (%(share)s of its "
              "non-ASCII characters are rare ones, first on line %(line)s: \"%(example)s\"); it is probably in "
              "another encoding such as Latin-1. Save it as \"CSV UTF-8\" or as .xlsx, or name its encoding "
              "(%(encodings)s).")
            % {"share": f"{plausibility.rare / plausibility.non_ascii:.0%}", "line": plausibility.first_line,
               "example": plausibility.example, "encodings": ", ".join(ENCODINGS)})
    return digest.hexdigest(), "gb18030"


def _csv_rows(file: BinaryIO, encoding: str) -> Iterator[tuple[int, list[str]]]:
    lines = (raw.decode(encoding) for raw in file)
    # strict: a quote left open runs to the end of the file, and a stray character after a closing quote
    # means the cell was not what its writer meant; both are refused with the line rather than guessed at.
    reader = csv.reader(lines, strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise ImportUnreadable(_("The CSV file is malformed: the quote opened on line %(line)s is never "
                                     "closed.") % {"line": start}) from exc
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
