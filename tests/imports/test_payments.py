"""Importing payments: recorded through payment_record, allocated through payment_allocate when an invoice is named."""

from datetime import date

import pytest

from arms.audit.models import AuditBatchEvent
from arms.ledger.models import Allocation, Invoice, Payment
from tests import factories
from tests.conftest import ledger_problems
from tests.imports.support import counts, refused, run, write_csv, write_xlsx

HEADER = ["收款单号", "客户编码", "收款日期", "金额", "币种", "方式", "票据号", "到期日", "付款人", "银行流水号",
          "发票号"]


@pytest.fixture
def invoices(db):
    c1 = factories.customer("C001")
    c2 = factories.customer("C002")
    return (factories.invoice(c1, number="INV-1", net=100_000, tax=13_000),
            factories.invoice(c2, number="INV-2", net=50_000, tax=6_500))


def good_rows():
    return [
        HEADER,
        ["RCV-1", "C001", "2026-02-01", "￥150,000.00", "", "电汇", "", "", "上海甲公司", "BOC2026020100001", "INV-1"],
        ["RCV-2", "C002", "2026/02/03", "30,000.00", "CNY", "银行承兑汇票", "BA-0001", "2026-08-03", "", "", "INV-2"],
        ["RCV-3", "C002", "2026年2月5日", "100", "", "网银", "", "", "", "", ""],
        ["RCV-4", "C001", "2026-02-06", "5.00", "", "cash", "", "", "", "", "INV-1"],
    ]


def test_payments_are_recorded_and_allocated_up_to_the_open_amount(invoices, clerk, tmp_path):
    result = run("payments", write_csv(tmp_path / "payments.csv", good_rows()), actor=clerk)

    assert (result.rows, result.created, result.skipped) == (4, 4, 0)
    assert list(Payment.objects.order_by("number").values_list(
        "number", "customer__code", "received_date", "amount_minor", "amount_unallocated_minor", "method",
        "bill_number", "bill_maturity_date", "payer_name", "bank_reference")) == [
        ("RCV-1", "C001", date(2026, 2, 1), 15_000_000, 15_000_000 - 113_000, "bank_transfer", "", None,
         "上海甲公司", "BOC2026020100001"),
        ("RCV-2", "C002", date(2026, 2, 3), 3_000_000, 3_000_000 - 56_500, "bank_acceptance", "BA-0001",
         date(2026, 8, 3), "", ""),
        ("RCV-3", "C002", date(2026, 2, 5), 10_000, 10_000, "online", "", None, "", ""),
        ("RCV-4", "C001", date(2026, 2, 6), 500, 500, "cash", "", None, "", ""),
    ]
    assert list(Allocation.objects.order_by("pk").values_list("payment__number", "invoice__number", "amount_minor",
                                                              "date")) == [
        ("RCV-1", "INV-1", 113_000, date(2026, 2, 1)), ("RCV-2", "INV-2", 56_500, date(2026, 2, 3))]
    assert list(Invoice.objects.order_by("number").values_list("amount_open_minor", flat=True)) == [0, 0]
    assert AuditBatchEvent.objects.filter(action="payment_recorded").count() == 4  # in the run's sub-chain
    assert AuditBatchEvent.objects.filter(action="payment_allocated").count() == 2
    assert ledger_problems() == {}


def test_a_payment_smaller_than_the_invoice_settles_part_of_it(invoices, tmp_path):
    path = write_csv(tmp_path / "payments.csv", [["收款单号", "客户编码", "收款日期", "金额", "发票号"],
                                                 ["RCV-1", "C001", "2026-02-01", "1,000.00", "INV-1"]])

    run("payments", path)

    assert Invoice.objects.get(number="INV-1").amount_open_minor == 13_000
    assert Payment.objects.get(number="RCV-1").amount_unallocated_minor == 0


def test_gbk_csv_and_xlsx_record_the_same_payments(invoices, tmp_path):
    assert run("payments", write_csv(tmp_path / "p.csv", good_rows()[:2], encoding="gbk")).created == 1
    path = write_xlsx(tmp_path / "p.xlsx", [
        ["number", "customer_code", "received_date", "amount", "method", "bill_number", "bill_maturity_date"],
        ["RCV-X1", "C002", date(2026, 3, 1), 2500.5, "商业承兑汇票", "CA-9", date(2026, 9, 1)],
        ["RCV-X2", "C002", date(2026, 3, 2), 80, "bank_transfer", None, None],
    ])

    assert run("payments", path).created == 2
    assert list(Payment.objects.order_by("number").values_list("number", "amount_minor", "method")) == [
        ("RCV-1", 15_000_000, "bank_transfer"), ("RCV-X1", 250_050, "commercial_acceptance"),
        ("RCV-X2", 8_000, "bank_transfer")]


def test_importing_the_same_payments_again_allocates_nothing_twice(invoices, tmp_path):
    path = write_csv(tmp_path / "payments.csv", good_rows())
    run("payments", path)
    before = counts()

    again = run("payments", path)

    assert (again.rows, again.created, again.skipped) == (4, 0, 4)
    assert counts() == {**before, "ImportRun": before["ImportRun"] + 1, "AuditEvent": before["AuditEvent"] + 1}


def test_every_bad_payment_row_is_reported_and_nothing_is_written(invoices, tmp_path):
    factories.payment(invoices[0].customer, number="RCV-OLD", amount=113_000)
    path = write_csv(tmp_path / "payments.csv", [
        HEADER,
        ["RCV-1", "C001", "2026-02-01", "0", "", "支票", "", "", "", "", ""],
        ["RCV-2", "C002", "2026-02-03", "30,000.00", "", "银行承兑汇票", "", "", "", "", ""],
        ["RCV-3", "C002", "2026-02-03", "300.00", "", "商承", "CA-1", "2026-01-01", "", "", "INV-1"],
        ["RCV-4", "C009", "2026-02-30", "-5", "", "", "", "", "", "", "INV-404"],
        ["RCV-OLD", "C001", "2026-02-01", "1,130.01", "", "", "", "", "", "", ""],
        ["RCV-2", "C002", "2026-02-03", "1.00", "", "", "", "", "", "", ""],
    ])

    assert refused("payments", path) == [
        {"line": 2, "column": "金额", "message": "'0' must be greater than zero"},
        {"line": 2, "column": "方式", "message": "'支票' is not a known payment method; use one of "
         "电汇 (bank_transfer), 银行承兑汇票 (bank_acceptance), 商业承兑汇票 (commercial_acceptance), "
         "现金 (cash), 网银 (online)"},
        {"line": 3, "column": "票据号", "message": "an acceptance bill needs its number"},
        {"line": 3, "column": "到期日", "message": "an acceptance bill needs its maturity date"},
        {"line": 4, "column": "到期日", "message": "the bill cannot mature before it was received"},
        {"line": 4, "column": "发票号", "message": "invoice INV-1 belongs to customer C001"},
        {"line": 5, "column": "客户编码", "message": "unknown customer code 'C009'"},
        {"line": 5, "column": "收款日期", "message": "'2026-02-30' is not a date (write it as YYYY-MM-DD)"},
        {"line": 5, "column": "金额", "message": "'-5' must be greater than zero"},
        {"line": 5, "column": "发票号", "message": "unknown invoice number 'INV-404'"},
        {"line": 6, "column": "金额",
         "message": "payment RCV-OLD already exists with a different 金额 (1,130.00 CNY in ARMS)"},
        {"line": 7, "column": "收款单号", "message": "'RCV-2' is already on line 3 of this file"},
    ]


def test_an_acceptance_bill_needs_a_maturity_date_even_without_that_column(invoices, tmp_path):
    path = write_csv(tmp_path / "payments.csv", [["收款单号", "客户编码", "收款日期", "金额", "方式", "票据号"],
                                                 ["RCV-1", "C001", "2026-02-01", "100", "银承", "BA-1"]])

    assert refused("payments", path) == [
        {"line": 2, "column": "到期日", "message": "an acceptance bill needs its maturity date"}]


def test_payments_on_the_same_invoice_take_what_is_still_open_in_file_order(invoices, tmp_path):
    path = write_csv(tmp_path / "payments.csv", [
        ["收款单号", "客户编码", "收款日期", "金额", "发票号"],
        ["RCV-A", "C001", "2026-02-01", "1,000.00", "INV-1"],
        ["RCV-B", "C001", "2026-02-02", "500.00", "INV-1"],
        ["RCV-C", "C001", "2026-02-03", "10.00", "INV-1"],
    ])

    assert run("payments", path).created == 3

    assert list(Allocation.objects.order_by("pk").values_list("payment__number", "amount_minor")) == [
        ("RCV-A", 100_000), ("RCV-B", 13_000)]
    assert list(Payment.objects.order_by("number").values_list("number", "amount_unallocated_minor")) == [
        ("RCV-A", 0), ("RCV-B", 37_000), ("RCV-C", 1_000)]
    assert Invoice.objects.get(number="INV-1").amount_open_minor == 0
    assert ledger_problems() == {}
