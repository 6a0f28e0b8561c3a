"""Every file a user uploads is bounded and read honestly (issue 10): zip bombs, row and cell bounds, the
size of a CSV, text in an encoding ARMS was not told about, malformed CSV and files without data.

Each refusal asserts that nothing was written; the zip bombs also assert that openpyxl never opened the
workbook (the archive's directory alone condemned it).
"""

from __future__ import annotations

import zipfile

import pytest

from arms.common.uploads import UploadTooLarge, xlsx_check
from arms.customers.models import Customer
from arms.imports.errors import ImportInvalid, ImportUnreadable
from tests.imports.support import counts, csv_bytes, run, write_csv, write_xlsx

HEADER = ["客户编码", "客户名称"]
ROW_XML = (b'<row r="2"><c r="A2" t="inlineStr"><is><t>C001</t></is></c>'
           b'<c r="B2" t="inlineStr"><is><t>X</t></is></c></row>')


def _rewrite(path, name: str, head: bytes, repeat: bytes, times: int, tail: bytes) -> None:
    """Replace (or add) member ``name`` of the XLSX at ``path``: head + repeat * times + tail, streamed.

    An added shared-strings part is also linked from the workbook, as Excel links it.
    """
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    if name == "xl/sharedStrings.xml" and name not in members:
        rels = "xl/_rels/workbook.xml.rels"
        members[rels] = members[rels].replace(b"</Relationships>", (
            b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/sharedStrings"/></Relationships>'))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for member, data in members.items():
            if member != name:
                target.writestr(member, data)
        with target.open(name, "w", force_zip64=True) as out:
            out.write(head)
            block = repeat * 10_000
            for _ in range(times // 10_000):
                out.write(block)
            out.write(tail)


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Fail the test if the workbook reaches openpyxl."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a workbook that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def _refused_unreadable(path, error=ImportUnreadable, **options):
    before = counts()
    with pytest.raises(error) as info:
        run("customers", path, **options)
    assert counts() == before
    return info.value


def test_a_sheet_bomb_is_refused_before_it_is_unpacked(db, tmp_path, no_openpyxl):
    path = write_xlsx(tmp_path / "bomb.xlsx", [HEADER, ["C000", "甲"]])
    # 40 MB of repeated rows pack to a few dozen kilobytes
    _rewrite(path, "xl/worksheets/sheet1.xml",
             b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData>", ROW_XML, 400_000, b"</sheetData></worksheet>")
    assert path.stat().st_size < 1_000_000

    error = _refused_unreadable(path, UploadTooLarge)

    assert error.code == "import_too_large"
    assert "xl/worksheets/sheet1.xml" in error.message and "at most 100 times" in error.message
    assert error.details == {"limit": 100}


def test_a_shared_strings_bomb_is_refused_before_it_is_unpacked(db, tmp_path, no_openpyxl):
    path = write_xlsx(tmp_path / "strings.xlsx", [HEADER, ["C001", "甲公司"]])
    _rewrite(path, "xl/sharedStrings.xml",
             b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
             b"<si><t>" + b"A" * 200 + b"</t></si>", 150_000, b"</sst>")

    error = _refused_unreadable(path, UploadTooLarge)

    assert "xl/sharedStrings.xml" in error.message


def test_the_unpacked_size_of_a_workbook_is_bounded_by_the_settings(db, tmp_path, settings, no_openpyxl):
    settings.ARMS_XLSX_MAX_UNPACKED_BYTES = 4_000
    path = write_xlsx(tmp_path / "customers.xlsx", [HEADER, ["C001", "甲公司"]])

    error = _refused_unreadable(path, UploadTooLarge)

    assert error.message.startswith("The workbook unpacks to ") and error.message.endswith(
        "ARMS reads at most 4,000 B. Split the file or save it as CSV.")


def test_one_part_of_a_workbook_is_bounded_by_the_settings(db, tmp_path, settings):
    settings.ARMS_XLSX_MAX_MEMBER_BYTES = 500
    path = write_xlsx(tmp_path / "customers.xlsx", [HEADER, ["C001", "甲公司"]])

    with pytest.raises(UploadTooLarge) as info, path.open("rb") as handle:
        xlsx_check(handle)

    assert "ARMS reads at most 500 B per part" in info.value.message


def test_rows_are_bounded_in_xlsx_and_csv(db, tmp_path, settings):
    settings.ARMS_IMPORT_MAX_ROWS = 5
    rows = [HEADER] + [[f"C{n:03}", f"公司{n}"] for n in range(5)]
    for path in (write_xlsx(tmp_path / "c.xlsx", rows), write_csv(tmp_path / "c.csv", rows)):
        error = _refused_unreadable(path, UploadTooLarge)
        assert error.message == "The file has more than 5 rows; ARMS imports at most 5 rows at a time. Split the file."

    assert run("customers", write_csv(tmp_path / "ok.csv", rows[:5])).created == 4


def test_cells_are_bounded(db, tmp_path, settings):
    settings.ARMS_IMPORT_MAX_CELLS = 9
    rows = [HEADER] + [[f"C{n:03}", f"公司{n}"] for n in range(5)]

    error = _refused_unreadable(write_xlsx(tmp_path / "c.xlsx", rows), UploadTooLarge)

    assert error.message.startswith("The file has more than 9 cells (by line 5)")


def test_a_csv_file_is_bounded_in_bytes(db, tmp_path, settings):
    settings.ARMS_IMPORT_MAX_BYTES = 100
    rows = [HEADER] + [[f"C{n:03}", f"公司{n}"] for n in range(20)]

    error = _refused_unreadable(write_csv(tmp_path / "c.csv", rows), UploadTooLarge)

    assert "ARMS reads at most 100 B" in error.message


# ------------------------------------------------------------------------------------------ encodings


LATIN1 = csv_bytes([["customer_code", "name"], ["C001", "Crée Brûlée SARL"], ["C002", "Müller Bäckerei GmbH"]],
                   "latin-1")


def test_latin1_text_that_decodes_as_gb18030_is_refused_as_implausible(db, tmp_path):
    assert LATIN1.decode("gb18030")  # it does decode: this is the trap
    path = tmp_path / "latin1.csv"
    path.write_bytes(LATIN1)

    error = _refused_unreadable(path)

    assert "implausible text" in error.message and "first on line 2" in error.message
    assert "utf-8, gb18030, latin-1, cp1252" in error.message


def test_latin1_text_imports_when_its_encoding_is_named(db, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(LATIN1)

    assert run("customers", path, encoding="latin-1").created == 2

    assert Customer.objects.get(code="C001").name == "Crée Brûlée SARL"


def test_chinese_gbk_text_with_a_rare_character_is_plausible(db, tmp_path):
    rows = [HEADER, ["C001", "上海甲乙丙贸易有限公司"], ["C002", "北京喆珺科技有限公司"],
            ["C003", "广州丁戊己物流有限公司"]]
    path = write_csv(tmp_path / "gbk.csv", rows, encoding="gb18030")

    assert run("customers", path).created == 3

    assert Customer.objects.get(code="C002").name == "北京喆珺科技有限公司"


def test_a_named_encoding_that_does_not_fit_is_refused_with_the_line(db, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", [HEADER, ["C001", "上海甲公司"]], encoding="gb18030")

    error = _refused_unreadable(path, encoding="utf-8")

    assert error.message == "The file is not utf-8 text: byte 0xBF on line 1 cannot be decoded."


# ------------------------------------------------------------------------------------------ malformed CSV


def test_an_unterminated_quote_is_refused_with_its_line(db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes('客户编码,客户名称\r\nC001,甲公司\r\nC002,"乙公司\r\nC003,丙公司\r\n'.encode())

    error = _refused_unreadable(path)

    assert error.message == "The CSV file is malformed: the quote opened on line 3 is never closed."


def test_text_after_a_closing_quote_is_refused(db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes('客户编码,客户名称\r\nC001,"甲"公司\r\n'.encode())

    error = _refused_unreadable(path)

    assert error.message.startswith("The CSV file is malformed near line 2:")


def test_a_row_with_too_few_fields_is_refused_with_its_line(db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("客户编码,客户名称,省份\r\nC001,甲公司,上海\r\nC002,乙公司\r\n".encode())
    before = counts()

    with pytest.raises(ImportInvalid) as info:
        run("customers", path)

    assert info.value.details["rows"] == [{"line": 3, "column": "row", "message": (
        "has 2 fields but the header has 3 (a missing or extra comma, or a quote that spans lines?)")}]
    assert counts() == before


def test_a_header_only_xlsx_is_refused_as_empty(db, tmp_path):
    error = _refused_unreadable(write_xlsx(tmp_path / "c.xlsx", [HEADER]))

    assert error.message == "The file has a header but no data rows: there is nothing to import."


def test_the_bounds_answer_through_the_api(db, clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from arms.accounts.services import token_create

    token = token_create(username=clerk.username)[1]
    before = counts()

    def upload(data: bytes, query: str = ""):
        return Client().post(f"/api/v1/imports/customers{query}", {"file": SimpleUploadedFile("c.csv", data)},
                             headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})

    implausible, header_only = upload(LATIN1), upload(csv_bytes([HEADER]), "?dry_run=true")
    unterminated = upload('客户编码,客户名称\r\nC002,"乙公司\r\n'.encode(), "?dry_run=true")
    too_few = upload("客户编码,客户名称,省份\r\nC002,乙公司\r\n".encode(), "?dry_run=true")

    assert (implausible.status_code, implausible.json()["error"]["code"]) == (422, "import_unreadable")
    assert header_only.json()["error"]["message"] == ("The file has a header but no data rows: there is nothing "
                                                      "to import.")
    assert unterminated.json()["error"]["message"] == ("The CSV file is malformed: the quote opened on line 2 is "
                                                       "never closed.")
    assert too_few.json()["error"]["details"]["rows"] == [{"line": 2, "column": "row", "message": (
        "has 2 fields but the header has 3 (a missing or extra comma, or a quote that spans lines?)")}]
    assert counts() == before
    assert upload(LATIN1, "?encoding=latin-1&dry_run=true").json()["rows"] == 2
