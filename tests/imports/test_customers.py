"""Importing customers: through customer_create, validated row by row, all or nothing, idempotent."""

import hashlib

import pytest

from arms.audit.models import AuditEvent
from arms.customers.models import Customer
from arms.domain.uscc import make_uscc
from arms.imports.errors import ImportUnreadable
from arms.imports.models import ImportRun
from tests import factories
from tests.imports.support import counts, refused, run, write_csv, write_xlsx

USCC_1 = make_uscc("91310000000000001")
USCC_2 = make_uscc("91110000000000002")
HEADER = ["客户编码", "客户名称", "统一社会信用代码", "行业", "区域", "业务员", "账期天数", "账期基准", "币种"]
ROWS = [
    ["C001", "上海甲乙丙贸易有限公司", USCC_1, "制造业", "华东", "wang", "45", "月结", "CNY"],
    ["C002", "北京丁戊己科技有限公司", USCC_2, "electronics", "华北", "", "", "", ""],
]


def test_a_utf8_bom_csv_creates_each_customer_through_the_service(db, clerk, tmp_path):
    wang = factories.user("wang", role="sales")
    path = write_csv(tmp_path / "customers.csv", [HEADER, *ROWS])

    result = run("customers", path, actor=clerk)

    assert (result.rows, result.created, result.skipped, result.dry_run) == (2, 2, 0, False)
    first, second = Customer.objects.order_by("code")
    assert (first.code, first.name, first.uscc, first.industry, first.region, first.salesperson,
            first.payment_terms_days, first.payment_terms_basis, first.currency) == (
        "C001", "上海甲乙丙贸易有限公司", USCC_1, "manufacturing", "east", wang, 45, "month_end", "CNY")
    assert (second.industry, second.region, second.salesperson, second.payment_terms_days) == (
        "electronics", "north", None, 30)
    assert list(AuditEvent.objects.filter(action="customer_created").values_list("actor_name", flat=True)) == [
        "clerk", "clerk"]
    run_row = ImportRun.objects.get()
    assert (run_row.kind, run_row.filename, run_row.rows, run_row.created, run_row.skipped, run_row.user) == (
        "customers", "customers.csv", 2, 2, 0, clerk)
    assert run_row.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert AuditEvent.objects.get(action="import_completed").after["sha256"] == run_row.sha256


def test_gbk_csv_with_english_headers_in_any_case_and_width(db, tmp_path):
    header = ["Customer Code", "ＮＡＭＥ", "uscc", "Industry", "REGION", "payment_terms_days"]
    row = ["C001", "上海甲乙丙贸易有限公司", USCC_1, "制造", "华南", "30天"]
    path = write_csv(tmp_path / "customers.csv", [header, row], encoding="gbk")

    result = run("customers", path)

    assert (result.rows, result.created) == (1, 1)
    customer = Customer.objects.get()
    assert (customer.name, customer.region, customer.payment_terms_days) == ("上海甲乙丙贸易有限公司", "south", 30)


def test_an_xlsx_workbook_creates_the_same_customers(db, tmp_path):
    factories.user("wang", role="sales")
    path = write_xlsx(tmp_path / "customers.xlsx", [HEADER, *[[*row[:6], 45, *row[7:]] for row in ROWS]])

    result = run("customers", path)

    assert (result.rows, result.created) == (2, 2)
    assert list(Customer.objects.order_by("code").values_list("code", "payment_terms_days")) == [
        ("C001", 45), ("C002", 45)]


def test_importing_the_same_file_again_creates_nothing(db, tmp_path):
    factories.user("wang", role="sales")
    path = write_csv(tmp_path / "customers.csv", [HEADER, *ROWS])
    run("customers", path)
    before = counts()

    again = run("customers", path)

    assert (again.rows, again.created, again.skipped) == (2, 0, 2)
    assert counts() == {**before, "ImportRun": before["ImportRun"] + 1, "AuditEvent": before["AuditEvent"] + 1}


def test_every_bad_row_is_reported_and_nothing_is_written(db, tmp_path):
    factories.customer("C900", name="已有客户", uscc=USCC_2)
    path = write_csv(tmp_path / "customers.csv", [
        HEADER,
        ["C001", "上海甲乙丙贸易有限公司", "91310000000000001A", "制造业", "华东", "", "30", "", ""],
        ["C002", "", USCC_1, "钢铁", "火星", "nobody", "abc", "", "RMB1"],
        ["C001", "重复的客户", "", "", "", "", "", "", ""],
        ["C900", "改了名字的客户", "", "", "", "", "", "", ""],
        ["C003", "第三家公司", USCC_2, "", "", "", "", "", ""],
        ["C004", "第四家公司", USCC_1, "", "", "", "", "", ""],
    ])

    rows = refused("customers", path)

    expected_check = make_uscc("91310000000000001")[-1]
    assert rows == [
        {"line": 2, "column": "统一社会信用代码",
         "message": f"统一社会信用代码 check digit is A, expected {expected_check}"},
        {"line": 3, "column": "客户名称", "message": "a value is required"},
        {"line": 3, "column": "行业", "message": "'钢铁' is not a known industry; use one of 制造业 (manufacturing), "
         "建筑业 (construction), 批发和零售业 (wholesale), 汽车 (automotive), 电子 (electronics), 能源 (energy), "
         "物流 (logistics), 医疗 (healthcare), 农业 (agriculture), 服务业 (services), 政府 (public), 其他 (other)"},
        {"line": 3, "column": "区域", "message": "'火星' is not a known region; use one of 华北 (north), "
         "东北 (northeast), 华东 (east), 华南 (south), 华中 (central), 西南 (southwest), 西北 (northwest), "
         "海外 (overseas)"},
        {"line": 3, "column": "业务员", "message": "no active user named 'nobody'"},
        {"line": 3, "column": "账期天数", "message": "'abc' is not a number of days from 0 to 3650"},
        {"line": 3, "column": "币种", "message": "'RMB1' is not a three-letter ISO 4217 currency code"},
        {"line": 4, "column": "客户编码", "message": "'C001' is already on line 2 of this file"},
        {"line": 5, "column": "客户名称",
         "message": "customer C900 already exists with a different 客户名称 (已有客户 in ARMS)"},
        {"line": 6, "column": "统一社会信用代码", "message": "customer C900 already has this 统一社会信用代码"},
        {"line": 7, "column": "统一社会信用代码", "message": f"'{USCC_1}' is already on line 3 of this file"},
    ]


def test_a_header_with_unknown_doubled_or_missing_columns_is_refused(db, tmp_path):
    path = write_csv(tmp_path / "customers.csv", [["客户代码", "Customer_Code", "电话"], ["C001", "C001", "123"]])

    rows = refused("customers", path)

    assert rows == [
        {"line": 1, "column": "Customer_Code", "message": "the same column as 客户代码"},
        {"line": 1, "column": "电话", "message": "unknown column; the columns of customers files are "
         "客户编码, 客户名称, 统一社会信用代码, 行业, 区域, 省份, 地址, 业务员, 催收员, 账期天数, "
         "账期基准, 币种, 备注"},
        {"line": 1, "column": "客户名称", "message": "required column is missing (name it 客户名称 / name)"},
    ]


def test_a_value_in_a_column_without_header_is_refused(db, tmp_path):
    """The usual cause: a company name with a comma that was not quoted, shifting the row to the right."""
    rows = [["序号", "客户编码", "客户名称"], ["1", "C001", "甲公司", "上海分公司"]]
    path = write_csv(tmp_path / "customers.csv", rows)

    assert refused("customers", path) == [
        {"line": 2, "column": "column 4",
         "message": "'上海分公司' is in a column without a header (an unquoted comma?)"}]


def test_a_header_without_rows_is_refused_as_empty(db, tmp_path):
    before = counts()

    with pytest.raises(ImportUnreadable) as info:
        run("customers", write_csv(tmp_path / "customers.csv", [HEADER, [""] * len(HEADER)]))

    assert info.value.message == "The file has a header but no data rows: there is nothing to import."
    assert counts() == before


def test_a_file_of_blank_rows_has_no_header(db, tmp_path):
    before = counts()

    with pytest.raises(ImportUnreadable) as info:
        run("customers", write_csv(tmp_path / "customers.csv", [["", ""], [" "]]))

    assert info.value.message == "The file has no header row."
    assert counts() == before
