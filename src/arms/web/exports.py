"""The one way ARMS exports a table: CSV (UTF-8 with a byte-order mark) or Excel (XLSX), streamed.

A table is a title, typed columns and rows from an iterator (a queryset's ``iterator()`` or a generator), so an
export of every filtered row never holds them all in memory::

    table = Table(_("Invoices"), [Column(_("Invoice")), Column(_("Open amount"), AMOUNT)],
                  rows=([inv.number, to_decimal(inv.amount_open_minor, inv.currency)] for inv in qs.iterator()))
    return export_response(request, "invoices-20261204", table)

Cell kinds: ``TEXT`` (str), ``AMOUNT`` (Decimal major units, from ``to_decimal``: exact, so a sum in Excel is
the sum in the ledger), ``DATE``, ``DATETIME`` (shown in Asia/Shanghai), ``INT``, ``DECIMAL`` and ``PERCENT``
(a Decimal number of percent: 12.5 means 12.5 %). ``None`` is an empty cell.

Formula injection: a text cell that a spreadsheet would read as a formula (it begins with = + - @, a tab or a
carriage return, or their full-width forms) is neutralised in every export. In CSV it gets a leading apostrophe
(``'=HYPERLINK(...)``); in XLSX it keeps its exact text but is written as a string cell (data type "s", with
Excel's quote-prefix style), which Excel shows as text and never evaluates. openpyxl by itself would turn a
string beginning with "=" into a formula cell; ``set_text_safe`` is where that is prevented, for this module and
for any workbook laid out by hand (the monthly report). Numbers, a negative amount included, are numbers and
are not touched.
"""

from __future__ import annotations

import csv
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from arms.common.files import content_disposition
from arms.common.jobs import CONTENT_TYPES

TEXT, AMOUNT, DATE, DATETIME, INT, DECIMAL, PERCENT = "text", "amount", "date", "datetime", "int", "decimal", "percent"
KINDS = (TEXT, AMOUNT, DATE, DATETIME, INT, DECIMAL, PERCENT)
FORMATS = ("xlsx", "csv")
XLSX_TYPE = CONTENT_TYPES[".xlsx"]
CSV_TYPE = CONTENT_TYPES[".csv"]

#: what a spreadsheet may take for the start of a formula (OWASP's list, with the full-width forms an IME types)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
NUMBER_FORMATS = {AMOUNT: "#,##0.00", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", INT: "#,##0",
                  DECIMAL: "#,##0.0#", PERCENT: '0.0#"%"'}
WIDTHS = {AMOUNT: 16, DATE: 12, DATETIME: 17, INT: 10, DECIMAL: 12, PERCENT: 10}
EXCEL_TEXT_LIMIT = 32_767
_CSV_CHUNK = 32_768


@dataclass(frozen=True)
class Column:
    """A column: its header as people read it, the kind of its cells, optionally a width and a number format."""

    label: str
    kind: str = TEXT
    width: int | None = None
    number_format: str | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass
class Table:
    """A titled table. ``rows`` is any iterable of rows (consumed once); ``preamble`` rows (plain text) come
    before the header, ``footer`` rows (totals, in bold) after the rows."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence] = ()
    preamble: Sequence[Sequence] = field(default_factory=list)
    footer: Sequence[Sequence] = field(default_factory=list)


# ---------------------------------------------------------------- formula neutralising


def formula_like(text: str) -> bool:
    """Would a spreadsheet read ``text`` as a formula (or start one)? Leading spaces do not hide it."""
    return text.lstrip(" ").startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    """Text for a CSV cell: an apostrophe before anything formula-like, so Excel shows it as typed."""
    return "'" + text if formula_like(text) else text


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def set_text_safe(cell, text: str) -> None:
    """Put ``text`` into an openpyxl cell as a string that is never evaluated.

    openpyxl makes any string beginning with "=" a formula (and "#N/A" an error value); forcing data type "s"
    writes it as text. Formula-like text also gets the quote prefix, so editing the cell in Excel keeps it text.
    Control characters that XML cannot hold are dropped and the text is cut at Excel's limit.
    """
    text = _ILLEGAL_XML.sub("", text)[:EXCEL_TEXT_LIMIT]
    cell.value = text
    cell.data_type = "s"
    if formula_like(text):
        cell.quotePrefix = True


def xlsx_value(value, kind: str = TEXT):
    """A value as an openpyxl cell takes it: local naive datetimes; anything that is not a number or a date as text
    (the caller writes text through ``set_text_safe``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, Decimal, date)):
        return value
    if isinstance(value, float):  # pragma: no cover - amounts are never floats; a ratio may be
        return value
    return str(value)


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    return csv_text(str(value))


# ---------------------------------------------------------------- CSV


def csv_lines(table: Table, *, bom: bool = True) -> Iterator[bytes]:
    """The table as UTF-8 CSV with a byte-order mark (Excel on Chinese Windows then reads it as UTF-8), in chunks.
    ``bom=False`` leaves the mark out, for text printed on a terminal (``arms analytics ... --format csv``)."""

    class _Buffer:
        def __init__(self):
            self.parts: list[str] = []

        def write(self, text: str) -> None:
            self.parts.append(text)

        def take(self) -> bytes:
            data = "".join(self.parts).encode("utf-8")
            self.parts.clear()
            return data

    buffer = _Buffer()
    writer = csv.writer(buffer)
    size = 0
    if bom:
        yield "\ufeff".encode()
    for row in table.preamble:
        writer.writerow([csv_value(v) for v in row])
    writer.writerow([csv_text(str(c.label)) for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_value(v) for v in row])
        size += 1
        if size % 500 == 0:
            chunk = buffer.take()
            if chunk:
                yield chunk
    for row in table.footer:
        writer.writerow([csv_value(v) for v in row])
    yield buffer.take()


# ---------------------------------------------------------------- XLSX


def sheet_title(name: str) -> str:
    """Excel refuses sheet names over 31 characters or with []:*?/\\ in them."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(name)).strip("'")
    return cleaned[:31] or "Sheet"


def column_width(column: Column) -> int:
    if column.width:
        return column.width
    label = str(column.label)
    wide = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in label)
    return max(WIDTHS.get(column.kind, 14), min(wide + 2, 40))


def xlsx_file(table: Table):
    """The table as an XLSX workbook (openpyxl write-only: rows go to a temporary file as they come) in a
    temporary file, positioned at its start."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title(table.title))
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width(column)
    sheet.freeze_panes = f"A{len(table.preamble) + 2}"
    bold = Font(bold=True)

    def cells(values, *, font=None):
        line = []
        for index, value in enumerate(values):
            column = table.columns[index] if index < len(table.columns) else Column("")
            cell = WriteOnlyCell(sheet)
            converted = xlsx_value(value, column.kind)
            if converted is None:
                pass
            elif isinstance(converted, str):
                set_text_safe(cell, converted)
            else:
                cell.value = converted
                number_format = column.number_format or NUMBER_FORMATS.get(column.kind)
                if isinstance(converted, datetime):
                    number_format = NUMBER_FORMATS[DATETIME]
                elif isinstance(converted, date):
                    number_format = NUMBER_FORMATS[DATE]
                if number_format:
                    cell.number_format = number_format
            if font is not None:
                cell.font = font
            line.append(cell)
        return line

    for row in table.preamble:
        sheet.append(cells(row, font=bold))
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet)
        set_text_safe(cell, str(column.label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append(cells(row))
    for row in table.footer:
        sheet.append(cells(row, font=bold))
    output = tempfile.TemporaryFile()
    book.save(output)
    output.seek(0)
    return output


# ---------------------------------------------------------------- responses


def export_format(request) -> str:
    """``?export=xlsx`` or ``?export=csv``; anything else is no export ("")."""
    value = request.GET.get("export", "")
    return value if value in FORMATS else ""


def attachment_header(filename: str) -> str:
    """``Content-Disposition`` for a download: the one spelling in :mod:`arms.common.files`."""
    return content_disposition(filename)


def export_response(request_or_format, filename: str, table: Table):
    """The table as a download: ``filename`` without extension; the format from ``?export=`` or given."""
    fmt = request_or_format if isinstance(request_or_format, str) else export_format(request_or_format)
    if fmt == "xlsx":
        response = FileResponse(xlsx_file(table), content_type=XLSX_TYPE)
    elif fmt == "csv":
        language = translation.get_language()

        def stream():
            # the rows are produced while the response is sent: keep the request's language for them
            with translation.override(language):
                yield from csv_lines(table)

        response = StreamingHttpResponse(stream(), content_type=CSV_TYPE)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = attachment_header(f"{filename}.{fmt}")
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
