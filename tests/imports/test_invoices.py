"""Importing invoices: posted through invoice_post, so each has its journal entry and audit event."""

from datetime import date
from decimal import Decimal

import pytest

from arms.audit.models import AuditBatchEvent
from arms.common.errors import ValidationFailed
from arms.contracts.services import contract_create
from arms.ledger.models import Invoice, JournalEntry
from arms.ledger.services import exchange_rate_set
from tests import factories
from tests.conftest import ledger_problems
from tests.imports.support import counts, refused, run, write_csv, write_xlsx

HEADER = ["发票号", "客户编码", "合同号", "开票日期", "到期日", "不含税金额", "税额", "价税合计", "币种", "发票代码",
          "发票号码", "摘要"]


@pytest.fixture
def customers(db):
    c1 = factories.customer("C001", payment_terms_days=30)
    c2 = factories.customer("C002", payment_terms_days=60)
    contract_create(actor=None, customer=c1, number="HT-1", signed_date=date(2026, 1, 1), amount_minor=10_000_000,
                    payment_terms_days=45)
    return c1, c2


def good_rows():
    return [
        HEADER,
        ["INV-001", "C001", "HT-1", "2026-01-05", "", "¥1,000.00", "130.00", "1,130.00", "", "3100261130", "00012345",
         "钢材一批"],
        ["INV-002", "C001", "", "2026/01/10", "2026-03-31", "2,000.50", "", "", "CNY", "", "", ""],
        ["INV-003", "C002", "", "2026年2月1日", "", "99.99", "0.01", "", "", "", "24312000000012345678", ""],
    ]


def test_a_utf8_bom_csv_posts_every_invoice_with_exact_amounts(customers, clerk, tmp_path):
    result = run("invoices", write_csv(tmp_path / "invoices.csv", good_rows()), actor=clerk)

    assert (result.rows, result.created, result.skipped) == (3, 3, 0)
    rows = list(Invoice.objects.order_by("number").values_list(
        "number", "customer__code", "contract__number", "issue_date", "due_date", "net_minor", "tax_minor",
        "gross_minor", "amount_open_minor", "vat_invoice_number", "description", "posted_by__username"))
    assert rows == [
        ("INV-001", "C001", "HT-1", date(2026, 1, 5), date(2026, 2, 19), 100_000, 13_000, 113_000, 113_000,
         "3100261130-00012345", "钢材一批", "clerk"),
        ("INV-002", "C001", None, date(2026, 1, 10), date(2026, 3, 31), 200_050, 0, 200_050, 200_050, "", "", "clerk"),
        ("INV-003", "C002", None, date(2026, 2, 1), date(2026, 4, 2), 9_999, 1, 10_000, 10_000,
         "24312000000012345678", "", "clerk"),
    ]
    assert JournalEntry.objects.filter(kind="invoice").count() == 3
    assert AuditBatchEvent.objects.filter(action="invoice_posted").count() == 3  # in the run's sub-chain
    assert ledger_problems() == {}


def test_a_gbk_csv_posts_the_same_invoices(customers, tmp_path):
    """As Chinese Excel saves "CSV (逗号分隔)": GBK, and the yuan sign is the full-width ￥ that GBK has."""
    rows = [[cell.replace("¥", "￥") for cell in row] for row in good_rows()]
    result = run("invoices", write_csv(tmp_path / "invoices.csv", rows, encoding="gbk"))

    assert (result.rows, result.created) == (3, 3)
    assert sum(Invoice.objects.values_list("gross_minor", flat=True)) == 113_000 + 200_050 + 10_000


def test_an_xlsx_with_number_and_date_cells_posts_exact_amounts(customers, tmp_path):
    path = write_xlsx(tmp_path / "invoices.xlsx", [
        ["number", "customer_code", "issue_date", "net", "tax"],
        ["INV-1", "C001", date(2026, 1, 5), 1234.56, 160.49],
        ["INV-2", "C002", date(2026, 1, 6), 0.1, 0.2],
        ["INV-3", "C002", "2026-01-07", "1,000.00", 0],
    ])

    assert run("invoices", path).created == 3
    assert list(Invoice.objects.order_by("number").values_list("number", "net_minor", "tax_minor", "gross_minor")) == [
        ("INV-1", 123_456, 16_049, 139_505), ("INV-2", 10, 20, 30), ("INV-3", 100_000, 0, 100_000)]


def test_importing_the_same_invoices_again_creates_nothing(customers, tmp_path):
    path = write_csv(tmp_path / "invoices.csv", good_rows())
    run("invoices", path)
    before = counts()

    again = run("invoices", path)

    assert (again.rows, again.created, again.skipped) == (3, 0, 3)
    assert counts() == {**before, "ImportRun": before["ImportRun"] + 1, "AuditEvent": before["AuditEvent"] + 1}


def test_an_invoice_that_exists_with_a_different_amount_is_an_error(customers, tmp_path):
    run("invoices", write_csv(tmp_path / "a.csv", good_rows()))
    changed = good_rows()
    changed[1][5:8] = ["1,000.01", "130.00", ""]

    assert refused("invoices", write_csv(tmp_path / "b.csv", changed)) == [
        {"line": 2, "column": "不含税金额",
         "message": "invoice INV-001 already exists with a different 不含税金额 (1,000.00 CNY in ARMS)"}]


def test_every_bad_invoice_row_is_reported_and_nothing_is_written(customers, tmp_path):
    factories.invoice(customers[0], number="INV-OLD")
    path = write_csv(tmp_path / "invoices.csv", [
        ["发票号", "客户编码", "合同号", "开票日期", "到期日", "不含税金额", "税额", "价税合计", "币种"],
        ["INV-1", "C001", "", "2026-13-01", "", "100", "13", "", ""],
        ["INV-2", "C404", "", "2026-01-05", "", "-100.00", "-1", "", ""],
        ["INV-3", "C002", "HT-1", "2026-01-05", "2026-01-04", "100", "13", "114", ""],
        ["INV-4", "C001", "HT-9", "2026-01-05", "", "1.005", "", "", "USD"],
        ["INV-1", "C001", "", "2026-01-05", "", "100", "", "", ""],
        ["INV-OLD", "C002", "", "2026-01-11", "", "1,000.00", "130.00", "", ""],
        ["INV-5", "C001", "", "2026-01-05", "", "", "", "", ""],
    ])

    assert refused("invoices", path) == [
        {"line": 2, "column": "开票日期", "message": "'2026-13-01' is not a date (write it as YYYY-MM-DD)"},
        {"line": 3, "column": "客户编码", "message": "unknown customer code 'C404'"},
        {"line": 3, "column": "不含税金额", "message": "'-100.00' must be greater than zero"},
        {"line": 3, "column": "税额", "message": "'-1' must not be negative"},
        {"line": 4, "column": "合同号", "message": "contract HT-1 belongs to another customer"},
        {"line": 4, "column": "到期日", "message": "the due date cannot be before the issue date"},
        {"line": 4, "column": "价税合计", "message": "is not the net amount plus the tax (113.00 CNY)"},
        {"line": 5, "column": "合同号", "message": "unknown contract number 'HT-9'"},
        {"line": 5, "column": "不含税金额", "message": "'1.005' has more than 2 decimal places for USD"},
        {"line": 5, "column": "币种", "message": "No exchange rate for USD on or before 2026-01-05."},
        {"line": 6, "column": "发票号", "message": "'INV-1' is already on line 2 of this file"},
        {"line": 7, "column": "客户编码",
         "message": "invoice INV-OLD already exists with a different 客户编码 (C001 in ARMS)"},
        {"line": 7, "column": "开票日期",
         "message": "invoice INV-OLD already exists with a different 开票日期 (2026-01-10 in ARMS)"},
        {"line": 8, "column": "不含税金额", "message": "a value is required"},
    ]


def test_a_foreign_currency_invoice_needs_a_rate_and_gets_one(customers, tmp_path):
    exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1000"))
    path = write_csv(tmp_path / "usd.csv", [["发票号", "客户编码", "开票日期", "不含税金额", "币种"],
                                           ["INV-USD", "C002", "2026-01-05", "1,000.00", "usd"]])

    run("invoices", path)

    invoice = Invoice.objects.get(number="INV-USD")
    assert (invoice.currency, invoice.gross_minor, invoice.gross_base_minor) == ("USD", 100_000, 710_000)


def test_an_excel_number_with_more_than_two_decimals_is_an_error_not_a_rounding(customers, tmp_path):
    path = write_xlsx(tmp_path / "invoices.xlsx", [["发票号", "客户编码", "开票日期", "不含税金额"],
                                                   ["INV-1", "C001", date(2026, 1, 5), 1234.567]])

    assert refused("invoices", path) == [
        {"line": 2, "column": "不含税金额", "message": "'1234.567' has more than 2 decimal places for CNY"}]


def test_a_refusal_by_the_service_undoes_the_rows_already_written(customers, tmp_path, monkeypatch):
    """The check passed, but the service refuses row 3 while writing (the database moved): rows 2 and 3 are
    undone with their journal entries and audit events, and the refusal is reported against row 3."""
    from arms.ledger.services import bulk

    real_check = bulk.invoice_exposure_check

    def check(**kwargs):  # the credit check the bulk path runs under the customer's lock
        if kwargs["number"] == "INV-002":
            raise ValidationFailed("Customer C001 was put on hold meanwhile.", field="customer")
        return real_check(**kwargs)

    monkeypatch.setattr(bulk, "invoice_exposure_check", check)
    # every invoice through the one-at-a-time check (the batched one decides invoices like these in memory)
    monkeypatch.setattr(bulk, "_credit_checked", lambda *args, **kwargs: set())

    assert refused("invoices", write_csv(tmp_path / "invoices.csv", good_rows())) == [
        {"line": 3, "column": "客户编码", "message": "Customer C001 was put on hold meanwhile."}]
