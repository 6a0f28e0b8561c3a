"""A small book for the web tests: two salespeople, each with a customer, and a few dated documents.

Dates are relative to today, so "30 days overdue" stays true whenever the suite runs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from arms.contracts.services import contract_create
from arms.customers.models import Contact, Customer
from arms.ledger.models import Invoice, Payment
from tests import factories

PASSWORD = "pw-12345678"


@dataclass
class Book:
    today: date
    clerk: object
    sales_a: object
    sales_b: object
    auditor: object
    huadong: Customer
    xinan: Customer
    invoice_overdue: Invoice
    invoice_current: Invoice
    invoice_xinan: Invoice
    payment: Payment


@pytest.fixture
def book(db) -> Book:
    today = timezone.localdate()
    clerk = factories.user("clerk", role="finance_clerk")
    sales_a = factories.user("sales_a", role="sales")
    sales_a.first_name, sales_a.last_name = "明", "王"
    sales_a.save(update_fields=["first_name", "last_name"])
    sales_b = factories.user("sales_b", role="sales")
    auditor = factories.user("auditor", role="auditor")
    huadong = factories.customer(
        "HD001", name="华东精密机械有限公司", salesperson=sales_a, collector=clerk, industry="manufacturing",
        region="east", province="上海", payment_terms_days=30,
    )
    Contact.objects.create(customer=huadong, name="李娜", role="财务经理", phone="13800000000", is_primary=True)
    contract_create(actor=clerk, customer=huadong, number="HT-2026-001", signed_date=today - timedelta(days=120),
                    amount_minor=5_000_000_00, title="数控机床供货合同")
    xinan = factories.customer("XN001", name="西南物流有限公司", salesperson=sales_b, region="southwest",
                               industry="logistics")
    invoice_overdue = factories.invoice(huadong, number="INV-HD-1", net=1_000_000, tax=130_000,
                                        issued=today - timedelta(days=60), actor=clerk)
    invoice_current = factories.invoice(huadong, number="INV-HD-2", net=500_000, tax=65_000,
                                        issued=today - timedelta(days=10), actor=clerk)
    invoice_xinan = factories.invoice(xinan, number="INV-XN-1", net=200_000, tax=26_000,
                                      issued=today - timedelta(days=45), actor=clerk)
    payment = factories.payment(huadong, number="RCV-HD-1", amount=300_000, received=today - timedelta(days=5),
                                actor=clerk, bank_reference="BR-0001")
    return Book(today, clerk, sales_a, sales_b, auditor, huadong, xinan, invoice_overdue, invoice_current,
                invoice_xinan, payment)


def live_server_requests_finish(timeout: float = 60) -> None:
    """Wait until the live server has answered every request the browser left running (call it after closing
    the browser). A request still at work when the test's database is emptied deadlocks PostgreSQL's TRUNCATE
    against its reads, and the rows the flush could not remove then break the next test on the worker."""
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout)


@pytest.fixture
def flushable_ledger(transactional_db):
    """Let a transactional test (the live server's) empty the database afterwards on SQLite.

    Django empties the database after such a test with DELETE, which SQLite's triggers on the journal
    tables refuse (journal rows are immutable). This fixture, torn down before Django's flush, empties
    the database itself with those triggers lifted for the moment, then puts them back exactly as they
    were. PostgreSQL empties with TRUNCATE, which row triggers do not see, so it needs nothing.
    """
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'ledger_journal%'")
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)
