"""File -> rows of strings: encodings, formats, and the line numbers the user sees."""

import io
from datetime import date

import pytest

from arms.imports.errors import ImportUnreadable
from arms.imports.readers import Table
from tests.imports.support import csv_bytes, write_xlsx


def rows_of(data: bytes) -> list[tuple[int, list[str]]]:
    return list(Table(io.BytesIO(data)).rows())


def test_utf8_with_and_without_bom_and_gbk_read_the_same():
    rows = [["客户编码", "客户名称"], ["C001", "上海甲乙丙贸易有限公司"]]
    expected = [(1, rows[0]), (2, rows[1])]
    for encoding, detected in (("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"), ("gbk", "gb18030"),
                               ("gb18030", "gb18030")):
        table = Table(io.BytesIO(csv_bytes(rows, encoding)))
        assert (table.format, table.encoding) == ("csv", detected)
        assert list(table.rows()) == expected


def test_bytes_that_are_neither_utf8_nor_gb18030_are_refused_naming_the_encoding_problem():
    data = "客户编码,客户名称\r\nC001,Café\r\n".encode() + b"C002,na\xefve \xff\r\n"
    with pytest.raises(ImportUnreadable) as info:
        Table(io.BytesIO(data))
    assert info.value.message == (
        "The file is neither UTF-8 nor GB18030/GBK text: as UTF-8, byte 0xEF on line 3 cannot be decoded; "
        "as GB18030, byte 0xFF on line 3 cannot. Save the file as \"CSV UTF-8\" or as .xlsx and try again."
    )
    assert (info.value.code, info.value.status, info.value.field) == ("import_unreadable", 422, "file")


def test_a_utf16_file_is_refused_with_what_to_do_instead():
    data = "客户编码\t客户名称\r\n".encode("utf-16")
    assert data.startswith(b"\xff\xfe")
    with pytest.raises(ImportUnreadable) as info:
        Table(io.BytesIO(data))
    assert info.value.message == ("The file is UTF-16 text (Excel's \"Unicode text\"); ARMS reads UTF-8 or "
                                  "GB18030/GBK: save it as \"CSV UTF-8\" or as .xlsx.")


def test_an_old_xls_and_an_empty_file_are_refused():
    with pytest.raises(ImportUnreadable) as info:
        Table(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100))
    assert info.value.message == "This is an old Excel .xls file; save it as .xlsx or as CSV UTF-8."
    with pytest.raises(ImportUnreadable) as info:
        Table(io.BytesIO(b""))
    assert info.value.message == "The file is empty."


def test_a_zip_that_is_not_a_workbook_is_refused():
    data = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ImportUnreadable) as info:
        list(Table(io.BytesIO(data.getvalue())).rows())
    assert info.value.message.startswith("The file is not a readable .xlsx workbook")


def test_csv_line_numbers_are_where_each_record_starts():
    data = b'a,b\r\n1,"two\r\nlines"\r\n\r\n3,x\r\n'
    assert rows_of(data) == [(1, ["a", "b"]), (2, ["1", "two\r\nlines"]), (4, []), (5, ["3", "x"])]


def test_xlsx_rows_are_numbered_as_excel_shows_them_and_cells_become_text(tmp_path):
    rows = [["发票号", "开票日期", "不含税金额"], [], ["INV-1", date(2026, 1, 5), 1234.5]]
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    with path.open("rb") as handle:
        table = Table(handle, path.name)
        assert table.format == "xlsx"
        rows = [(line, cells) for line, cells in table.rows() if any(cells)]
    assert rows == [(1, ["发票号", "开票日期", "不含税金额"]), (3, ["INV-1", "2026-01-05", "1234.5"])]
