"""The lock order of ADR 0003, read from the SQL each money-moving service sends to PostgreSQL.

Every ``SELECT … FOR UPDATE`` a service issues is recorded (``CaptureQueriesContext``) and ranked by the table it
locks: the customer first, then its invoices (several in one statement, by primary key), then the payment or
credit note, then the rows of the document being decided, and the shared counters (document numbers, the audit
chain's head) last. The ranks must never go down within one service call: two services that share rows then
queue instead of deadlocking.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arms.contracts.models import Contract
from arms.contracts.services import contract_amend, contract_create, contract_sign
from arms.credit.services import limit_request_approve, limit_request_create, rating_run
from arms.ledger import services
from arms.ledger.services.allocations import AllocationRequest
from arms.ledger.services.writeoffs import invoice_write_off, write_off_recover
from tests import factories
from tests.conftest import postgres_available

pytestmark = [
    pytest.mark.skipif(not postgres_available(), reason="SQLite has no FOR UPDATE: set DATABASE_URL=postgres://..."),
    pytest.mark.django_db,
]

RANK = {"customers_customer": 0, "ledger_invoice": 1, "ledger_payment": 2, "ledger_creditnote": 2,
        "common_documentsequence": 4, "audit_audithead": 5}
DOCUMENT_ROWS = 3  # any other table: the request, contract, profile … being decided
_FROM = re.compile(r'\bFROM "(\w+)"')
#: an ``UPDATE … RETURNING`` locks its row as ``SELECT … FOR UPDATE`` does (``sequence_take`` moves a series so)
_UPDATE_RETURNING = re.compile(r'^UPDATE "?(\w+)"? .* RETURNING ', re.DOTALL)


def locks(capture: CaptureQueriesContext) -> list[tuple[str, str]]:
    """(table, sql) of every FOR UPDATE statement, in the order they were sent. The same statement again (the
    credit check re-reading the customer its caller locked) waits for nothing: only its first time counts."""
    seen, taken = set(), []
    for query in capture.captured_queries:
        sql = query["sql"]
        if sql in seen:
            continue
        if "FOR UPDATE" in sql:
            seen.add(sql)
            taken.append((_FROM.search(sql).group(1), sql))
        elif updated := _UPDATE_RETURNING.match(sql):
            seen.add(sql)
            taken.append((updated.group(1), sql))
    return taken


def assert_lock_order(capture: CaptureQueriesContext, *, first: str = "customers_customer") -> list[str]:
    taken = locks(capture)
    assert taken, "the service locked nothing"
    tables = [table for table, _sql in taken]
    assert tables[0] == first, tables
    ranks = [RANK.get(table, DOCUMENT_ROWS) for table in tables]
    assert ranks == sorted(ranks), tables
    for table, sql in taken:
        if table == "ledger_invoice" and re.search(r" IN \(\d+(, \d+)+\)", sql):  # several invoices at once
            assert re.search(r'ORDER BY "ledger_invoice"\."id" ASC', sql), sql  # invoices by primary key
    return tables


def run(call):
    with CaptureQueriesContext(connection) as capture:
        result = call()
    return result, capture


def test_ledger_services_lock_customer_then_invoices_then_payment(company):
    customer = factories.customer()
    invoice, capture = run(lambda: factories.invoice(customer))
    assert assert_lock_order(capture)[-2:] == ["common_documentsequence", "audit_audithead"]
    second = factories.invoice(customer, net=50_000, tax=6_500)

    _note, capture = run(lambda: services.credit_note_post(actor=None, invoice=invoice, on=date(2026, 1, 20),
                                                          net_minor=10_000, tax_minor=1_300, reason="退货"))
    assert assert_lock_order(capture)[:2] == ["customers_customer", "ledger_invoice"]

    payment, capture = run(lambda: factories.payment(customer, amount=100_000))
    assert_lock_order(capture)

    lines = [AllocationRequest(second.pk, 20_000), AllocationRequest(invoice.pk, 30_000)]  # asked out of order
    allocations, capture = run(lambda: services.payment_allocate(actor=None, payment=payment, lines=lines,
                                                                  on=date(2026, 2, 2)))
    tables = assert_lock_order(capture)
    assert tables[:3] == ["customers_customer", "ledger_invoice", "ledger_payment"]
    both = f"IN ({invoice.pk}, {second.pk})"  # both invoices in one statement, by primary key
    assert [sql for table, sql in locks(capture) if table == "ledger_invoice" and both in sql]

    _reversed, capture = run(lambda: services.allocation_reverse(reason="重复", actor=None, allocation=allocations[0],
                                                                 on=date(2026, 2, 3)))
    assert assert_lock_order(capture)[:3] == ["customers_customer", "ledger_invoice", "ledger_payment"]

    _auto, capture = run(lambda: services.payment_auto_allocate(actor=None, payment=payment, on=date(2026, 2, 4)))
    assert_lock_order(capture)

    _gone, capture = run(lambda: services.payment_reverse(actor=None, payment=payment, reason="退票",
                                                          on=date(2026, 2, 5)))
    assert assert_lock_order(capture)[:3] == ["customers_customer", "ledger_invoice", "ledger_payment"]


def test_write_off_and_recovery_lock_customer_then_invoice_then_the_write_off(company):
    customer = factories.customer()
    invoice = factories.invoice(customer)
    done, capture = run(lambda: invoice_write_off(actor=None, invoice=invoice, amount_minor=50_000,
                                                  on=date(2026, 6, 30), kind="bad_debt", account="1231",
                                                  reason="破产"))
    assert assert_lock_order(capture)[:2] == ["customers_customer", "ledger_invoice"]
    _recovery, capture = run(lambda: write_off_recover(actor=None, write_off=done, amount_minor=10_000,
                                                       on=date(2026, 7, 1), reason="收回"))
    assert assert_lock_order(capture)[:3] == ["customers_customer", "ledger_invoice", "ledger_writeoff"]


def test_contract_activation_locks_the_customer_first(company, clerk):
    customer = factories.customer()
    fields = {"signed_date": date(2026, 1, 5), "amount_minor": 100_000_00}
    _active, capture = run(lambda: contract_create(actor=clerk, customer=customer, number="HT-1", status="active",
                                                   **fields))
    assert_lock_order(capture)
    # a contract comes into force after its review: signing an approved one locks the customer first too
    approved = contract_create(actor=clerk, customer=customer, number="HT-2", status="draft", **fields)
    Contract.objects.filter(pk=approved.pk).update(status="approved")
    _signed, capture = run(lambda: contract_sign(actor=clerk, contract=approved, signed_date=date(2026, 1, 6)))
    assert "contracts_contract" in assert_lock_order(capture)
    _ended, capture = run(lambda: contract_amend(actor=clerk, contract=_active, reason="终止", status="terminated"))
    assert "contracts_contract" in assert_lock_order(capture)


def test_a_limit_change_locks_the_customer_first(company):
    customer = factories.customer()
    maker = factories.user("cm-maker", role="credit_manager")
    checker = factories.user("cm-checker", role="credit_manager")
    rating_run(customer=customer, as_of=date(2026, 3, 31))
    request, capture = run(lambda: limit_request_create(customer=customer, actor=maker,
                                                        requested_limit_minor=500_000_00, justification="新项目"))
    assert_lock_order(capture)
    _approved, capture = run(lambda: limit_request_approve(request=request, actor=checker))
    assert {"credit_limitchangerequest", "credit_creditprofile"} <= set(assert_lock_order(capture))
