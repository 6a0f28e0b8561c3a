"""Tables of the dashboard and the monthly report; one table downloads through ``arms.web.exports``
(``export_table``), the monthly workbook is laid out here (``workbook_bytes``) with the same cell escaping.

A ``Table`` holds typed cells: money as integer minor units (a ``money`` column, in the table's currency),
counts as ints, days and ratios as Decimals, text as str. The page renders them with the ``money`` filter;
the exports write money as exact Decimal major units with a ``#,##0.00`` number format, so a total in Excel
is the total on the page to the fen.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from arms.domain.money import BASE_CURRENCY, exponent, format_amount, to_decimal
from arms.web.exports import set_text_safe, sheet_title

TEXT, MONEY, COUNT, DECIMAL, PERCENT, DATE = "text", "money", "count", "decimal", "percent", "date"
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind in (MONEY, COUNT, DECIMAL, PERCENT)


@dataclass
class Table:
    """A titled table; ``footer`` is an optional totals row with the same columns."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    footer: list | None = None
    currency: str = BASE_CURRENCY
    note: str = ""

    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """Rows as (text, numeric) cells for templates that need no filter per kind."""
        return [[(cell_text(value, column, self.currency), column.numeric) for value, column in
                 zip(row, self.columns, strict=True)] for row in self.rows]

    def display_footer(self) -> list[tuple[str, bool]] | None:
        if self.footer is None:
            return None
        return [(cell_text(value, column, self.currency), column.numeric)
                for value, column in zip(self.footer, self.columns, strict=True)]

    def column(self, key: str) -> list:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]


def cell_text(value, column: Column, currency: str = BASE_CURRENCY) -> str:
    """A cell as people read it: 1,234.56 for money, 45.2 for days, 12.5% for a ratio, "—" for nothing."""
    if value is None or value == "":
        return "—" if column.numeric else ""
    if column.kind == MONEY:
        return format_amount(int(value), currency)
    if column.kind == PERCENT:
        return f"{Decimal(value).quantize(_TENTH, rounding=ROUND_HALF_UP)}%"
    if column.kind == DECIMAL:
        return f"{Decimal(value).quantize(_TENTH, rounding=ROUND_HALF_UP)}"
    if column.kind == COUNT:
        return f"{int(value):,}"
    if column.kind == DATE and isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell_value(value, column: Column, currency: str = BASE_CURRENCY):
    """A cell for a spreadsheet: money as exact Decimal major units, the rest as is."""
    if value is None:
        return None
    if column.kind == MONEY:
        return to_decimal(int(value), currency)
    if column.kind in (DECIMAL, PERCENT):
        return Decimal(value)
    return value


def export_table(table: Table):
    """The table for ``arms.web.exports`` (one CSV or Excel download): money as exact Decimal major units with
    the currency's decimals, the footer (totals) in bold below the rows."""
    from arms.web import exports

    kinds = {TEXT: exports.TEXT, MONEY: exports.AMOUNT, COUNT: exports.INT, DECIMAL: exports.DECIMAL,
             PERCENT: exports.PERCENT, DATE: exports.DATE}
    columns = [exports.Column(c.label, kinds[c.kind], width=28 if index == 0 else 16,
                              number_format=_number_format(c, table.currency))
               for index, c in enumerate(table.columns)]

    def values(row) -> list:
        return [cell_value(v, c, table.currency) for v, c in zip(row, table.columns, strict=True)]

    return exports.Table(table.title, columns, (values(row) for row in table.rows),
                         footer=[values(table.footer)] if table.footer else [])


def _number_format(column: Column, currency: str) -> str | None:
    if column.kind == MONEY:
        return "#,##0" + ("." + "0" * exponent(currency) if exponent(currency) else "")
    if column.kind == PERCENT:
        return '0.0"%"'
    if column.kind == DECIMAL:
        return "0.0"
    if column.kind == COUNT:
        return "#,##0"
    if column.kind == DATE:
        return "yyyy-mm-dd"
    return None


def write_table(sheet, table: Table, *, start_row: int = 1, title: bool = True) -> int:
    """Write ``table`` onto an openpyxl sheet from ``start_row``; returns the next free row."""
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    row = start_row
    if title:
        cell = sheet.cell(row=row, column=1)
        set_text_safe(cell, str(table.title))
        cell.font = Font(bold=True, size=12)
        row += 1
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=row, column=index)
        set_text_safe(cell, str(column.label))
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
    row += 1
    body = [*table.rows, *([table.footer] if table.footer else [])]
    for line_no, values in enumerate(body):
        is_footer = table.footer is not None and line_no == len(body) - 1
        for index, (value, column) in enumerate(zip(values, table.columns, strict=True), start=1):
            cell = sheet.cell(row=row, column=index)
            value = cell_value(value, column, table.currency)
            if isinstance(value, str):
                set_text_safe(cell, value)  # a name like "=HYPERLINK(...)" stays text, never a formula
            else:
                cell.value = value
                number_format = _number_format(column, table.currency)
                if number_format:
                    cell.number_format = number_format
            if is_footer:
                cell.font = bold
        row += 1
    if table.note:
        set_text_safe(sheet.cell(row=row, column=1), str(table.note))
        row += 1
    return row + 1


def _widen(sheet, tables: Sequence[Table]) -> None:
    from openpyxl.utils import get_column_letter

    widest = max((len(t.columns) for t in tables), default=0)
    for index in range(1, widest + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 28 if index == 1 else 16


def workbook_bytes(sheets: Sequence[tuple[str, Sequence[Table]]]) -> bytes:
    """A workbook with one sheet per (name, tables) entry, the tables one below the other."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, tables in sheets:
        sheet = book.create_sheet(title=sheet_title(name))
        row = 1
        for table in tables:
            row = write_table(sheet, table, start_row=row)
        _widen(sheet, tables)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
