"""Nobody waits for somebody else's import (issue 17): while a large invoice import is writing on PostgreSQL,
another connection records a payment for a customer not in the file, and it commits within a second.

Before the bulk path the import's one transaction held the audit chain's head row from its first document to its
commit, so every other audited write queued behind it. Now the import writes its events into its own sub-chain and
locks the head once, at its end. The import is given enough rows that it is still writing when the payment is made,
and the test checks that it was.
"""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.db import connection

from arms.audit.services import audit_verify, seals_verify
from arms.customers.models import Customer
from arms.ledger import services
from arms.ledger.models import Invoice
from tests import factories
from tests.conftest import postgres_available
from tests.imports.support import run, write_csv

pytestmark = [
    pytest.mark.skipif(not postgres_available(), reason="SQLite has one writer: an import there holds the database's "
                       "write lock until it commits, so only PostgreSQL can show another writer going ahead"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADER = ["发票号", "客户编码", "开票日期", "不含税金额", "税额"]
CUSTOMERS = 300
ROWS = 1500
#: rows a bulk call: small, so that several batches are written before the payment is made
BATCH = 100


def test_a_payment_commits_within_a_second_while_a_large_import_is_writing(company, tmp_path, monkeypatch):
    from arms.imports import services as imports

    monkeypatch.setattr(imports, "BULK_ROWS", BATCH)
    codes = [f"IMP{n:04d}" for n in range(CUSTOMERS)]
    for code in codes:
        factories.customer(code)
    outsider = factories.customer("OUTSIDE")
    rows = [HEADER] + [[f"IMP-{n:06d}", codes[n % CUSTOMERS], "2026-01-10", "1,000.00", "130.00"]
                       for n in range(ROWS)]
    path = write_csv(tmp_path / "invoices.csv", rows)
    writing = threading.Event()
    finished = threading.Event()
    outcome: dict[str, object] = {}

    def progress(stage: str, done: int, total: int | None) -> None:
        if stage == "write" and done >= 3 * BATCH + 1:  # three batches written, the fourth on its way
            writing.set()

    def import_in_its_own_connection() -> None:
        try:
            outcome["result"] = run("invoices", path, progress=progress)
        except BaseException as exc:  # reported by the assertion below
            outcome["error"] = exc
        finally:
            finished.set()
            writing.set()
            connection.close()

    thread = threading.Thread(target=import_in_its_own_connection)
    thread.start()
    try:
        assert writing.wait(timeout=600), "the import never started writing"
        assert not finished.is_set(), f"the import ended before the payment could be made: {outcome}"
        started = time.monotonic()
        payment = services.payment_record(actor=None, customer=outsider, received_date=date(2026, 1, 12),
                                          amount_minor=50_000)
        elapsed = time.monotonic() - started
        still_importing = not finished.is_set()
    finally:
        thread.join(timeout=900)
    assert "error" not in outcome, outcome
    assert still_importing, "the import had finished before the payment committed: give it more rows"
    assert elapsed < 1.0, f"the payment waited {elapsed:.2f} s for the import"
    assert payment.pk is not None
    assert outcome["result"].created == ROWS
    assert Invoice.objects.filter(customer__in=Customer.objects.filter(code__in=codes)).count() == ROWS
    assert audit_verify().ok
    assert all(report.ok for report in seals_verify())
