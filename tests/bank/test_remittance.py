"""Remittance advice: the customer's Excel/CSV list of the invoices a lump sum pays. A bad file or row is refused
whole, naming the row, and nothing is written; a good one is applied through ``applying.line_apply``."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from arms.audit.models import AuditEvent
from arms.bank.models import StatementLine
from arms.bank.services import remittance
from arms.common.errors import ErrorCode, ValidationFailed
from arms.ledger.models import Allocation, JournalEntry, Payment
from tests import factories
from tests.web import cash_book


@pytest.fixture
def book(db):
    today = timezone.localdate()
    cust = factories.customer("RA001", name="汇款客户有限公司")
    other = factories.customer("RA002", name="别家客户有限公司")
    inv = [factories.invoice(cust, number=f"INV-RA-{n}", net=100_000, tax=13_000, issued=today - timedelta(days=40 - n),
                             vat_invoice_number=f"1234567{n}") for n in range(1, 4)]
    foreign = factories.invoice(other, number="INV-RB-1", issued=today - timedelta(days=30))
    account = cash_book.bank_account()
    stmt = cash_book.statement(account, first=today - timedelta(days=3), last=today)
    line = cash_book.line(stmt, amount=300_000, on=today - timedelta(days=1), payer="汇款客户有限公司",
                          text="货款 见付款明细", status="unmatched")
    return {"customer": cust, "invoices": inv, "foreign": foreign, "line": line}


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("付款明细.csv", text.encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows: list[list]) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return SimpleUploadedFile("付款明细.xlsx", data.getvalue())


def written() -> tuple:
    return (Payment.objects.count(), Allocation.objects.count(), JournalEntry.objects.count(),
            AuditEvent.objects.count(), list(StatementLine.objects.values_list("status", flat=True)))


@pytest.mark.parametrize(("content", "code", "row"), [
    ("客户付款明细\n发票号,金额\nINV-RA-1,1130.00\nINV-RA-9,100.00\n", ErrorCode.REMITTANCE_UNKNOWN_INVOICE, 4),
    ("发票号,金额\nINV-RA-1,1130.00\nINV-RB-1,1130.00\n", ErrorCode.REMITTANCE_FOREIGN_INVOICE, 3),
    ("发票号,金额\nINV-RA-1,1130.00\nINV-RA-2,12.345\n", ErrorCode.REMITTANCE_BAD_ROW, 3),
    ("发票号,金额\nINV-RA-1,1130.00\nINV-RA-2,1130.01\n", ErrorCode.REMITTANCE_BAD_ROW, 3),
    ("发票号,金额\nINV-RA-1,500.00\ninv-ra-1,500.00\n", ErrorCode.REMITTANCE_BAD_ROW, 3),
    ("发票号,金额\n,500.00\n", ErrorCode.REMITTANCE_BAD_ROW, 2),
])
def test_a_bad_row_is_refused_naming_it_and_nothing_is_written(book, content, code, row):
    clerk = factories.user("ra-clerk", role="finance_clerk")
    before = written()

    with pytest.raises(ValidationFailed) as refused:
        remittance.remittance_apply(actor=clerk, line=book["line"], file=csv_file(content),
                                    customer=book["customer"])

    assert refused.value.code == code
    assert refused.value.details["row"] == row and refused.value.field == f"rows[{row}]"
    assert f"{row}" in refused.value.message
    assert written() == before


def test_a_file_without_invoices_or_not_a_list_is_refused(book):
    clerk = factories.user("ra-clerk", role="finance_clerk")
    before = written()
    for upload in (csv_file("发票号,金额\n合计,0\n"), SimpleUploadedFile("x.csv", b"\x00\x01\x02PKzz")):
        with pytest.raises(ValidationFailed) as refused:
            remittance.remittance_apply(actor=clerk, line=book["line"], file=upload, customer=book["customer"])
        assert refused.value.code == ErrorCode.REMITTANCE_UNREADABLE and refused.value.field == "file"
    assert written() == before


def test_more_than_the_line_brought_is_refused(book):
    clerk = factories.user("ra-clerk", role="finance_clerk")
    before = written()
    upload = xlsx_file([["发票号码", "本次付款"], ["12345671", 1130], ["12345672", 1130], ["12345673", 1130]])

    with pytest.raises(ValidationFailed) as refused:
        remittance.remittance_apply(actor=clerk, line=book["line"], file=upload, customer=book["customer"])

    assert refused.value.code == ErrorCode.SHARES_DO_NOT_FIT and refused.value.field == "file"
    assert written() == before


def test_too_many_rows_are_refused(book, monkeypatch):
    monkeypatch.setattr(remittance, "MAX_ROWS", 3)
    clerk = factories.user("ra-clerk", role="finance_clerk")
    content = "发票号\n" + "".join(f"INV-RA-{n}\n" for n in range(20))

    with pytest.raises(ValidationFailed) as refused:
        remittance.remittance_apply(actor=clerk, line=book["line"], file=csv_file(content), customer=book["customer"])

    assert refused.value.code == ErrorCode.REMITTANCE_UNREADABLE


def test_the_advice_is_read_by_its_header_words_or_by_columns_a_and_b(book):
    advice = "说明：三月货款\n序号,发票号码,付款金额\n1,12345671,\"1,130.00\"\n2,12345672,\n合计,,\n"
    rows = remittance.read_advice(advice.encode("gb18030"))
    assert [(r.row, r.number, r.amount) for r in rows] == [(3, "12345671", "1,130.00"), (4, "12345672", "")]

    rows = remittance.read_advice(b"INV-RA-1,1000\nINV-RA-2,130\n")
    assert [(r.number, r.amount) for r in rows] == [("INV-RA-1", "1000"), ("INV-RA-2", "130")]

    customer_id, allocations = remittance.resolve_advice(line=book["line"], customer=None, rows=rows)
    assert customer_id == book["customer"].pk
    assert allocations == ((book["invoices"][0].pk, 100_000), (book["invoices"][1].pk, 13_000))
