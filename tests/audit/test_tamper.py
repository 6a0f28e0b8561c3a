"""Direct database tampers, as someone with database access would try them: each is refused by the database
or found by ``arms audit verify`` / ``arms ledger check``. The figures (tried, refused, found) are in
docs/testing.md."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from arms.audit.models import AuditEvent
from arms.cases.models import Activity
from arms.cases.services.activities import activity_record
from arms.ledger import services
from arms.ledger.models import Account, JournalEntry, JournalLine
from arms.ledger.services.allocations import AllocationRequest
from tests import factories

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no TRUNCATE (its DELETE triggers refuse the same)"
)


@pytest.fixture
def book(clerk, customer):
    """An invoice, a payment allocated to it in part, a credit note and a call: every kind of posted row."""
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=50_000, actor=clerk)
    services.payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, 30_000)],
                              on=date(2026, 2, 1))
    services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 2, 5), net_minor=1_000, tax_minor=130,
                              reason="质量折让")
    activity_record(customer=customer, kind="call", outcome="reached", note="财务说下周付", actor=clerk)
    return {"invoice": invoice, "payment": payment, "customer": customer,
            "entry": JournalEntry.objects.get(invoice=invoice, kind="invoice")}


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def counts() -> tuple[int, ...]:
    return (JournalLine.objects.count(), JournalEntry.objects.count(), AuditEvent.objects.count(),
            Activity.objects.count())


def refused(statement: str, *params) -> str:
    """Run ``statement`` in a savepoint; it must raise. Returns the database's message."""
    with pytest.raises((IntegrityError, DatabaseError)) as raised, transaction.atomic():
        sql(statement, *params)
    return str(raised.value)


@postgres_only
@pytest.mark.parametrize("table", ["ledger_journalline", "ledger_journalentry", "audit_auditevent",
                                   "audit_audithead", "cases_activity", "cases_attachment"])
def test_truncate_of_posted_evidence_is_refused(book, table):
    before = counts()
    assert "TRUNCATE" in refused(f"TRUNCATE {table} CASCADE")
    assert counts() == before


def test_a_balanced_pair_added_to_a_posted_entry_is_refused(book):
    before = counts()
    entry, customer = book["entry"], book["customer"]
    bank, revenue = Account.objects.get(code="1002").pk, Account.objects.get(code="6001").pk
    message = refused(
        "INSERT INTO ledger_journalline (entry_id, account_id, customer_id, debit_minor, credit_minor)"
        " VALUES (%s, %s, %s, 100, 0), (%s, %s, %s, 0, 100)",
        entry.pk, bank, customer.pk, entry.pk, revenue, customer.pk,
    )
    assert "is posted" in message
    assert counts() == before
