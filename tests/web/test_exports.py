"""The one export module: formula-like text is neutralised in CSV and XLSX, numbers stay numbers, file names are
safe, and the files stream."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from lxml import etree
from openpyxl import load_workbook

from arms.web.exports import (
    AMOUNT,
    DATE,
    DATETIME,
    DECIMAL,
    EXCEL_TEXT_LIMIT,
    INT,
    PERCENT,
    Column,
    Table,
    attachment_header,
    csv_text,
    export_response,
    formula_like,
    sheet_title,
    xlsx_file,
)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","x")', "=cmd|' /C calc'!A0", "+1", "-1",
                                  "@SUM(1+1)", "\t=1", "\r=1", "  =1+1", "＝1+1"])
def test_formula_like_text_is_recognised_and_escaped_for_csv(text):
    assert formula_like(text)
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", ["华东精密机械有限公司", "INV-2026-0001", "a=b", "1+1", "", "—", "'quoted"])
def test_ordinary_text_is_left_alone(text):
    assert not formula_like(text)
    assert csv_text(text) == text


def _table():
    columns = [Column("Name"), Column("Amount", AMOUNT), Column("Count", INT), Column("Due", DATE),
               Column("At", DATETIME)]
    rows = iter([
        ['=HYPERLINK("http://evil.example","x")', Decimal("-1234.50"), -3, date(2026, 1, 31),
         datetime(2026, 1, 31, 1, 30, tzinfo=ZoneInfo("UTC"))],
        ["#N/A", Decimal("0.10"), 0, None, None],
        ["bad\x01char", None, None, None, None],
    ])
    return Table("客户/清单:1", columns, rows)


def test_csv_has_a_bom_escapes_text_and_keeps_negative_numbers_numbers():
    response = export_response("csv", "customers", _table())
    data = response.getvalue()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Amount", "Count", "Due", "At"]
    assert rows[1] == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "-1234.50", "-3", "2026-01-31",
                       "2026-01-31 09:30"]  # Asia/Shanghai
    assert rows[2][:2] == ["#N/A", "0.10"]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]


def test_xlsx_writes_text_cells_never_formulas_and_typed_numbers():
    response = export_response("xlsx", "customers", _table())
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.title == "客户_清单_1"
    assert sheet.freeze_panes == "A2"
    name, amount, count, due, at = sheet[2]
    assert (name.value, name.data_type, name.quotePrefix) == ('=HYPERLINK("http://evil.example","x")', "s", True)
    assert (amount.data_type, Decimal(str(amount.value)), amount.number_format) == ("n", Decimal("-1234.5"),
                                                                                     "#,##0.00")
    assert (count.value, due.value.date(), at.value) == (-3, date(2026, 1, 31), datetime(2026, 1, 31, 9, 30))
    assert (sheet["A3"].value, sheet["A3"].data_type) == ("#N/A", "s")  # not an error value
    assert sheet["A4"].value == "badchar"  # a control character XML cannot hold is dropped, not a crash
    assert [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []


def test_file_names_have_an_ascii_fallback_and_the_exact_utf8_name():
    assert attachment_header("对账单-HD001.xlsx") == (
        "attachment; filename=\"HD001.xlsx\"; filename*=UTF-8''%E5%AF%B9%E8%B4%A6%E5%8D%95-HD001.xlsx")
    assert attachment_header('a"b\r\nc.csv') == "attachment; filename=\"a_b_c.csv\"; filename*=UTF-8''a%22b%0D%0Ac.csv"
    assert attachment_header("客户.csv").startswith('attachment; filename="export.csv"')


def test_sheet_titles_fit_excel():
    assert sheet_title("a/b:c*d?e[f]g\\h") == "a_b_c_d_e_f_g_h"
    assert len(sheet_title("x" * 40)) == 31 and sheet_title("") == "Sheet"


def test_an_unknown_format_or_kind_is_refused():
    with pytest.raises(ValueError):
        export_response("pdf", "x", Table("t", [Column("a")]))
    with pytest.raises(ValueError):
        Column("a", "money")


def test_the_workbook_reads_back_with_every_property_of_the_table():
    """Everything the writer promises, read back by openpyxl (as a user's Excel import or pandas would): typed
    values, one number format per column kind, formula-like text escaped, bold header, preamble and footer,
    column widths, the panes frozen below the header, and text XML cannot hold made safe."""
    columns = [Column("名称", width=30), Column("Amount", AMOUNT), Column("Count", INT), Column("Due", DATE),
               Column("At", DATETIME), Column("Rate", DECIMAL), Column("Share", PERCENT),
               Column("Custom", DECIMAL, number_format="0.000"), Column("=SUM(A1)")]
    rows = iter([
        ["-1+2", Decimal("1234.50"), 7, date(2026, 2, 28), datetime(2026, 2, 28, 16, 0, tzinfo=ZoneInfo("UTC")),
         Decimal("1.25"), Decimal("12.5"), Decimal("3.14159"), "a & b < c > d"],
        ["  spaced  ", Decimal("1E+3"), True, datetime(2026, 3, 1, 8, 15), None, Decimal("NaN"), 0.5, 2,
         "x" * (EXCEL_TEXT_LIMIT + 10)],
        ["line\r\nbreak\x00\ud800", Decimal("-0.01"), None, None, None, None, None, None, 42],
    ])
    table = Table("Aging/2026", columns, rows, preamble=[["As of", date(2026, 3, 31)], ["@preamble"]],
                  footer=[["Total", Decimal("1234.49"), 7, None, None, None, None, None, None, "beyond"]])
    with xlsx_file(table) as output:
        data = output.read()
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        etree.fromstring(archive.read(name))  # every part is well-formed XML
    sheet = load_workbook(io.BytesIO(data)).active

    assert sheet.title == "Aging_2026"
    assert sheet.freeze_panes == "A4"  # two preamble rows and the header stay in view
    assert {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHI"} == {
        "A": 30, "B": 16, "C": 10, "D": 12, "E": 17, "F": 12, "G": 10, "H": 12, "I": 14}
    values = [_trimmed([c.value for c in row]) for row in sheet.iter_rows()]
    assert values[:3] == [["As of", datetime(2026, 3, 31)], ["@preamble"],
                          [c.label for c in columns]]
    assert values[3] == ["-1+2", 1234.5, 7, datetime(2026, 2, 28), datetime(2026, 3, 1, 0, 0), 1.25, 12.5,
                         3.14159, "a & b < c > d"]
    assert values[4] == ["  spaced  ", 1000, "True", datetime(2026, 3, 1, 8, 15), None, None, 0.5, 2,
                         "x" * EXCEL_TEXT_LIMIT]
    assert values[5] == ["line\r\nbreak", -0.01, None, None, None, None, None, None, 42]
    assert values[6] == ["Total", 1234.49, 7, None, None, None, None, None, None, "beyond"]

    formats = [c.number_format for c in sheet[4][:9]]
    assert formats == ["General", "#,##0.00", "#,##0", "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "#,##0.0#", '0.0#"%"',
                       "0.000", "General"]
    assert sheet["D5"].number_format == "yyyy-mm-dd hh:mm"  # a datetime in a date column keeps its time
    assert sheet["B1"].number_format == "yyyy-mm-dd"  # a date in the preamble, under a money column

    # formula-like text is a string cell with the quote prefix, wherever it stands; nothing is a formula
    escaped = {c.coordinate for row in sheet.iter_rows() for c in row if c.quotePrefix}
    assert escaped == {"A2", "I3", "A4"}
    assert (sheet["A4"].value, sheet["A4"].data_type) == ("-1+2", "s")
    assert [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []

    bold = {c.coordinate for row in sheet.iter_rows() for c in row if c.font.b}
    assert {"A1", "B1", "A2", "A3", "I3", "A7", "J7"} <= bold
    assert not bold & {c.coordinate for row in sheet.iter_rows(min_row=4, max_row=6) for c in row}

    # a reader that streams (openpyxl's read-only mode, which pandas uses) sees the same cells
    streamed = load_workbook(io.BytesIO(data), read_only=True).active
    assert [_trimmed([c.value for c in row]) for row in streamed.iter_rows()] == values


def _trimmed(values: list) -> list:
    while values and values[-1] is None:
        values.pop()
    return values


def test_a_row_that_fails_while_the_sheet_is_written_fails_the_export_and_stops_its_writer_thread():
    """The sheet is compressed by a second thread while the rows are made (``_write_beside``): a failure among the
    rows reaches the caller, and no writer thread is left behind."""
    import threading

    def rows():
        for n in range(3_000):  # several chunks of the sheet
            yield [f"客户{n}", Decimal(n)]
        raise ValueError("row 3001 could not be read")

    before = {thread.name for thread in threading.enumerate()}
    with pytest.raises(ValueError, match="row 3001"):
        xlsx_file(Table("失败", [Column("客户"), Column("金额", AMOUNT)], rows()))
    assert "xlsx-writer" not in {thread.name for thread in threading.enumerate()} - before


def test_a_failing_write_of_the_sheet_reaches_the_caller():
    import arms.web.exports as exports

    class Full(io.BytesIO):
        def write(self, data):
            raise OSError("no space left on device")

    with pytest.raises(OSError, match="no space"):
        exports._write_beside(Full(), iter([b"<row/>"] * 50))


def test_a_large_sheet_written_beside_reads_back_whole_and_in_order():
    rows = [[f"C{n:05d}", Decimal(n) / 100] for n in range(12_000)]
    with xlsx_file(Table("全部", [Column("客户"), Column("金额", AMOUNT)], iter(rows))) as output:
        sheet = load_workbook(output, read_only=True).worksheets[0]
        got = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [[code, Decimal(str(amount))] for code, amount in got] == rows


def test_the_collector_gets_the_older_objects_back_after_a_run_even_a_failed_one():
    import gc

    from arms.common.collector import older_objects_frozen

    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), older_objects_frozen():
        assert gc.get_freeze_count() > 0
        raise RuntimeError("the run failed")
    assert gc.get_freeze_count() == 0
