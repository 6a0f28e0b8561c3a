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
(``'=HYPERLINK(...)``); in XLSX it keeps its exact text but is written as a string cell (an inline string, with
Excel's quote-prefix style), which Excel shows as text and never evaluates: ``xlsx_file`` writes every text cell
so, and ``set_text_safe`` does the same for a workbook laid out by hand with openpyxl (the monthly report), which
by itself would turn a string beginning with "=" into a formula cell. Numbers, a negative amount included, are
numbers and are not touched.

``xlsx_file`` writes the workbook's XML itself, streamed into a zip (ADR 0010): a cell object per cell, as
openpyxl and XlsxWriter make, cost ten times the rest of a large export.
"""

from __future__ import annotations

import csv
import math
import queue
import re
import tempfile
import threading
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO
from xml.sax.saxutils import quoteattr

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from arms.common.collector import older_objects_frozen
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


#: characters XML 1.0 cannot hold (C0 controls but tab, LF, CR; lone surrogates; U+FFFE and U+FFFF)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` as a workbook can hold it: characters XML cannot hold dropped, cut at Excel's limit."""
    return _ILLEGAL_XML.sub("", text)[:EXCEL_TEXT_LIMIT]


def set_text_safe(cell, text: str) -> None:
    """Put ``text`` into an openpyxl cell as a string that is never evaluated.

    openpyxl makes any string beginning with "=" a formula (and "#N/A" an error value); forcing data type "s"
    writes it as text. Formula-like text also gets the quote prefix, so editing the cell in Excel keeps it text.
    Control characters that XML cannot hold are dropped and the text is cut at Excel's limit.
    """
    text = clean_text(text)
    cell.value = text
    cell.data_type = "s"
    if formula_like(text):
        cell.quotePrefix = True


def xlsx_value(value, kind: str = TEXT):
    """A value as a workbook cell holds it: local naive datetimes; anything that is not a number or a date as text
    (written as a text cell that is never evaluated)."""
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
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in clean_text(str(name))).strip("'")
    return cleaned[:31] or "Sheet"


def column_width(column: Column) -> int:
    if column.width:
        return column.width
    label = str(column.label)
    wide = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in label)
    return max(WIDTHS.get(column.kind, 14), min(wide + 2, 40))


def xlsx_file(table: Table):
    """The table as an XLSX workbook in a temporary file, positioned at its start.

    The package is written here, part by part, into a zip on a temporary file: the worksheet is streamed row by
    row (``_SheetWriter``), so memory does not grow with the rows, and each cell is one string built from what
    its column worked out once (its reference letters and its style), not an object per cell: about 0.7 µs of
    CPU a cell, where openpyxl's write-only cells took 15 µs and XlsxWriter's 6 µs (ADR 0010, figures in
    docs/benchmarks.md). Text is an inline string (no shared-strings table held in
    memory), formula-like text carries the quote prefix and is never a formula, numbers are numbers with the
    column's number format, the header, preamble and footer are bold, the panes are frozen below the header.
    """
    output = tempfile.TemporaryFile()
    styles = _Styles()
    sheet = _SheetWriter(table.columns, styles)
    # the rows (a report's, made while the sheet is written) are many short-lived objects: older ones kept from
    # the collector's passes (arms.common.collector)
    with (older_objects_frozen(),
          zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=_DEFLATE_LEVEL) as package):
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/workbook.xml", _workbook_xml(sheet_title(table.title)))
        with package.open("xl/worksheets/sheet1.xml", "w") as part:
            _write_beside(part, (chunk.encode("utf-8") for chunk in sheet.xml(table)))
        package.writestr("xl/styles.xml", styles.xml())  # after the sheet: it holds the styles the cells used
    output.seek(0)
    return output


def _write_beside(part: BinaryIO, chunks: Iterator[bytes]) -> None:
    """Write ``chunks`` to ``part`` (a zip member, deflated as it is written) from a second thread, while this one
    makes the next chunks: zlib lets go of the GIL while it compresses, so on a machine with a core to spare the
    compression (a tenth of a large export's CPU) costs no time. A failure on either side stops both and is
    raised here; the thread has finished when this returns."""
    chunks_ready: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
    failures: list[BaseException] = []

    def drain() -> None:
        while (chunk := chunks_ready.get()) is not None:
            if not failures:
                try:
                    part.write(chunk)
                except BaseException as exc:  # handed to the caller below
                    failures.append(exc)

    writer = threading.Thread(target=drain, name="xlsx-writer", daemon=True)
    writer.start()
    try:
        for chunk in chunks:
            if failures:
                break
            chunks_ready.put(chunk)
    finally:
        chunks_ready.put(None)
        writer.join()
    if failures:
        raise failures[0]


#: zlib's fastest level: on 90,000 rows × 15 cells the default level (6) costs 0.7 s more CPU (2.2 s against
#: 1.5 s) for a file 28 % smaller (7.7 MB against 10.6 MB)
_DEFLATE_LEVEL = 1
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    "</Types>")
_ROOT_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>')


def _workbook_xml(title: str) -> str:
    return (f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f'<sheets><sheet name={quoteattr(title)} sheetId="1" r:id="rId1"/></sheets></workbook>')


#: number formats Excel has built in (no <numFmt> needed); any other gets an id from 164 up
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}


class _Styles:
    """The workbook's cell formats (``cellXfs``), one per (number format, bold, quote prefix) a cell used."""

    def __init__(self) -> None:
        self._index: dict[tuple[str | None, bool, bool], int] = {(None, False, False): 0}
        self._formats: dict[str, int] = {}

    def attribute(self, number_format: str | None, *, bold: bool = False, quote: bool = False) -> str:
        """The ``s="n"`` attribute of a cell in that style ("" for the default style)."""
        key = (number_format or None, bold, quote)
        index = self._index.setdefault(key, len(self._index))
        if key[0] is not None and key[0] not in _BUILTIN_FORMATS:
            self._formats.setdefault(key[0], 164 + len(self._formats))
        return f' s="{index}"' if index else ""

    def _format_id(self, number_format: str | None) -> int:
        if number_format is None:
            return 0
        return _BUILTIN_FORMATS.get(number_format, self._formats.get(number_format, 0))

    def xml(self) -> str:
        formats = "".join(f'<numFmt numFmtId="{number}" formatCode={quoteattr(code)}/>'
                          for code, number in self._formats.items())
        cells = []
        for number_format, bold, quote in self._index:
            number = self._format_id(number_format)
            cells.append(f'<xf numFmtId="{number}" fontId="{int(bold)}" fillId="0" borderId="0" xfId="0"'
                         + (' applyNumberFormat="1"' if number else "") + (' applyFont="1"' if bold else "")
                         + (' quotePrefix="1"' if quote else "") + "/>")
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
        return (f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
                + (f'<numFmts count="{len(self._formats)}">{formats}</numFmts>' if formats else "")
                + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
                '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(cells)}">{"".join(cells)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                "</styleSheet>")


@dataclass(frozen=True)
class _CellStyles:
    """The ``s`` attributes of one column's cells in a plain or a bold row, worked out once per column."""

    text: str
    quoted: str
    number: str
    date: str
    datetime: str


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _SheetWriter:
    """Writes the worksheet XML of a table, a chunk of rows at a time."""

    CHUNK = 500

    def __init__(self, columns: Sequence[Column], styles: _Styles) -> None:
        self.columns = list(columns)
        self.styles = styles
        self.refs: list[str] = []
        self.plain: list[_CellStyles] = []
        self.bold: list[_CellStyles] = []
        self._widen(len(self.columns))

    def _widen(self, size: int) -> None:
        """Column references and styles up to ``size`` columns (a preamble or footer may be wider)."""
        while len(self.refs) < size:
            index = len(self.refs)
            column = self.columns[index] if index < len(self.columns) else Column("")
            self.refs.append(_column_letters(index + 1))
            number_format = column.number_format or NUMBER_FORMATS.get(column.kind)
            for bold, target in ((False, self.plain), (True, self.bold)):
                def style(fmt, *, quote=False, bold=bold):
                    return self.styles.attribute(fmt, bold=bold, quote=quote)
                target.append(_CellStyles(text=style(None), quoted=style(None, quote=True),
                                          number=style(number_format), date=style(NUMBER_FORMATS[DATE]),
                                          datetime=style(NUMBER_FORMATS[DATETIME])))

    def xml(self, table: Table) -> Iterator[str]:
        top = f"A{len(table.preamble) + 2}"
        cols = "".join(f'<col min="{i}" max="{i}" width="{column_width(c)}" customWidth="1"/>'
                       for i, c in enumerate(self.columns, start=1))
        yield (f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
               f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{len(table.preamble) + 1}" '
               f'topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
               f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView></sheetViews>'
               '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")
        number = 0
        parts: list[str] = []
        for row in table.preamble:
            number += 1
            parts.append(self.row(number, row, bold=True))
        number += 1
        parts.append(self.row(number, [str(c.label) for c in self.columns], bold=True))
        for row in table.rows:
            number += 1
            parts.append(self.row(number, row))
            if len(parts) >= self.CHUNK:
                yield "".join(parts)
                parts.clear()
        for row in table.footer:
            number += 1
            parts.append(self.row(number, row, bold=True))
        parts.append("</sheetData>"
                     '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
                     "</worksheet>")
        yield "".join(parts)

    def row(self, number: int, values: Sequence, *, bold: bool = False) -> str:
        """One ``<row>``: each cell typed by its value (see ``xlsx_value``), styled by its column."""
        if len(values) > len(self.refs):
            self._widen(len(values))
        at = str(number)
        cells = [f'<row r="{at}">']
        for value, ref, styles in zip(values, self.refs, self.bold if bold else self.plain, strict=False):
            kind = type(value)
            if kind is Decimal:  # the common case first: amounts
                digits = str(value)
                if "E" in digits or not value.is_finite():
                    digits = _number_text(value)
                if digits:
                    cells.append(f'<c r="{ref}{at}"{styles.number}><v>{digits}</v></c>')
            elif kind is str:
                cells.append(self._text(ref + at, value, styles))
            elif kind is int:
                cells.append(f'<c r="{ref}{at}"{styles.number}><v>{value}</v></c>')
            else:
                cells.append(self._other(ref + at, value, styles, bold=bold))
        cells.append("</row>")
        return "".join(cells)

    def _other(self, ref: str, value, styles: _CellStyles, *, bold: bool) -> str:
        """A cell of any other value: empty (styled in a bold row), a date, a number of another type, or text."""
        converted = xlsx_value(value)
        if converted is None:
            return f'<c r="{ref}"{styles.text}/>' if bold else ""
        if isinstance(converted, str):
            return self._text(ref, converted, styles)
        if isinstance(converted, date):
            style = styles.datetime if isinstance(converted, datetime) else styles.date
            return f'<c r="{ref}"{style}><v>{_excel_serial(converted)}</v></c>'
        number_text = _number_text(converted)
        return f'<c r="{ref}"{styles.number}><v>{number_text}</v></c>' if number_text else ""

    @staticmethod
    def _text(ref: str, text: str, styles: _CellStyles) -> str:
        """A text cell as an inline string, never evaluated: see ``set_text_safe`` for what is cleaned."""
        text = clean_text(text)
        if not text:
            return f'<c r="{ref}"{styles.text}/>' if styles.text else ""
        style = styles.quoted if formula_like(text) else styles.text
        space = ' xml:space="preserve"' if text[0] in _SPACES or text[-1] in _SPACES else ""
        if "&" in text:
            text = text.replace("&", "&amp;")
        if "<" in text:
            text = text.replace("<", "&lt;")
        if ">" in text:
            text = text.replace(">", "&gt;")
        if "\r" in text:
            text = text.replace("\r", "&#13;")  # a parser would read a bare CR as LF
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


_SPACES = frozenset(" \t\n\r")


def _number_text(value: int | float | Decimal) -> str:
    """A number as the text of a ``<v>``; "" for what is not a finite number (an empty cell, as openpyxl did)."""
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return str(int(value))
_EXCEL_EPOCH = datetime(1899, 12, 30)


def _excel_serial(value: date) -> int | float:
    """A naive date or datetime as Excel's serial number (days since 1899-12-30, the 1900 date system; days
    before 1900-03-01 one less, for Excel's 29 February 1900)."""
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    delta = moment - _EXCEL_EPOCH
    days = delta.days - (1 if 0 < delta.days <= 60 else 0)
    if not isinstance(value, datetime):
        return days
    return days + (delta.seconds + delta.microseconds / 1_000_000) / 86_400


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
