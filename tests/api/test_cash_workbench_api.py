"""/api/v1/cash/reconciliation and /api/v1/cash/lines/{id}/remittance: the workbench's figures and remittance advice
for programs, in the one error shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from arms.bank.models import StatementLine
from tests import factories
from tests.api.conftest import Api, assert_error, counts
from tests.web import cash_book


@pytest.fixture
def book(db):
    today = timezone.localdate()
    cust = factories.customer("AP001", name="接口客户有限公司")
    invoice = factories.invoice(cust, number="INV-AP-1", net=100_000, tax=0, issued=today - timedelta(days=30))
    account = cash_book.bank_account()
    stmt = cash_book.statement(account, first=today - timedelta(days=3), last=today, opening=50_000)
    line = cash_book.line(stmt, amount=100_000, on=today - timedelta(days=1), payer="接口客户有限公司",
                          status="unmatched")
    by_hand = factories.payment(cust, amount=7_000, received=today - timedelta(days=2))
    return {"customer": cust, "invoice": invoice, "account": account, "line": line, "by_hand": by_hand,
            "today": today}


def test_the_reconciliation_answers_the_figures_and_the_items(book):
    api = Api(factories.user("api-clerk", role="finance_clerk"))

    response = api.get("/cash/reconciliation", {"account": book["account"].pk, "date": book["today"].isoformat()})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["statement_balance_minor"], body["book_balance_minor"]) == (150_000, 7_000)
    assert (body["bank_only_minor"], body["book_only_minor"], body["unexplained_minor"]) == (100_000, 7_000, 50_000)
    assert body["statement_balance"] == "1,500.00"
    assert [item["line_id"] for item in body["bank_only"]] == [book["line"].pk]
    assert [item["payment_id"] for item in body["book_only"]] == [book["by_hand"].pk]


def test_the_reconciliation_refuses_a_bad_day_and_a_role_without_the_permission(book):
    api = Api(factories.user("api-clerk", role="finance_clerk"))
    assert_error(api.get("/cash/reconciliation", {"account": book["account"].pk, "date": "9999-01-01"}),
                 422, "invalid", "date")
    assert_error(api.get("/cash/reconciliation", {"account": book["account"].pk, "date": "2026-01-01", "x": "1"}),
                 422, "unknown_parameter", "x")
    sales = Api(factories.user("api-sales", role="sales"))
    assert sales.get("/cash/reconciliation", {"account": book["account"].pk,
                                              "date": book["today"].isoformat()}).status_code == 403


def test_a_remittance_advice_with_a_foreign_row_is_refused_naming_it_and_nothing_is_written(book):
    api = Api(factories.user("api-clerk", role="finance_clerk"))
    other = factories.customer("AP002", name="别家接口客户有限公司")
    factories.invoice(other, number="INV-AP-9", issued=book["today"] - timedelta(days=5))
    before = counts()
    advice = SimpleUploadedFile("advice.csv", "发票号,金额\nINV-AP-1,500\nINV-AP-9,100\n".encode())

    response = api.upload(f"/cash/lines/{book['line'].pk}/remittance", {"file": advice})

    error = assert_error(response, 422, "remittance_foreign_invoice", "rows[3]")
    assert error["details"]["row"] == 3
    assert counts() == before
    assert StatementLine.objects.get(pk=book["line"].pk).status == "unmatched"


def test_a_remittance_advice_applies_the_line(book):
    api = Api(factories.user("api-clerk", role="finance_clerk"))
    advice = SimpleUploadedFile("advice.csv", "发票号,金额\nINV-AP-1,600\n".encode())

    response = api.upload(f"/cash/lines/{book['line'].pk}/remittance",
                          {"file": advice, "customer_id": book["customer"].pk, "note": "按付款明细"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "manual"
    assert [(p["customer_code"], p["amount_minor"], p["amount_unallocated_minor"]) for p in body["payments"]] == [
        ("AP001", 100_000, 40_000)]
