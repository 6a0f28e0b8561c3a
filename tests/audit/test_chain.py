"""audit_verify recomputes the SHA-256 chain and names the first event that was altered, removed or added
behind audit_record's back. Tampering here is raw SQL, as someone with database access would do it."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from arms.audit.models import AuditEvent, AuditHead
from arms.audit.services import ChainReport, audit_verify, event_hash
from arms.ledger import services
from arms.ledger.services.allocations import AllocationRequest
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(clerk, customer):
    """Five events: invoice, payment, allocation, exchange rate (a Decimal), credit note (dates, Chinese text)."""
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=50_000, actor=clerk)
    services.payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, 30_000)],
                              on=date(2026, 2, 1))
    services.exchange_rate_set(actor=clerk, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1234"))
    services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 2, 5), net_minor=1_000, tax_minor=130,
                              reason="质量折让")
    assert AuditEvent.objects.count() == 5
    return list(AuditEvent.objects.order_by("seq"))


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def set_after(seq: int, after: dict) -> None:
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    sql(f'UPDATE audit_auditevent SET "after" = {cast} WHERE seq = %s', json.dumps(after), seq)


def rehash(seq: int) -> str:
    """What a careful forger does after editing an event: recompute its own hash."""
    event = AuditEvent.objects.get(seq=seq)
    digest = event_hash(seq=event.seq, occurred_at=event.occurred_at, actor_name=event.actor_name,
                        action=event.action, subject_type=event.subject_type, subject_id=event.subject_id,
                        subject_repr=event.subject_repr, before=event.before, after=event.after,
                        prev_hash=event.prev_hash, seals=event.seals)
    sql("UPDATE audit_auditevent SET hash = %s WHERE seq = %s", digest, seq)
    return digest


def test_an_intact_chain_verifies(chain):
    assert audit_verify() == ChainReport(ok=True, checked=5)
    assert audit_verify(chunk_size=2) == ChainReport(ok=True, checked=5)


def test_an_empty_chain_verifies(db):
    assert audit_verify() == ChainReport(ok=True, checked=0)


def test_editing_an_events_after_is_found_at_that_event(chain):
    set_after(3, {**chain[2].after, "amount_minor": 3_000})
    assert audit_verify() == ChainReport(False, 2, 3, "content was altered: its hash does not match")


@pytest.mark.parametrize(
    ("column", "value"),
    [("actor_name", "someone_else"), ("action", "payment_reversed"), ("subject_id", "999"),
     ("occurred_at", "2020-01-01 00:00:00")],
)
def test_editing_any_hashed_column_is_found(chain, column, value):
    sql(f"UPDATE audit_auditevent SET {column} = %s WHERE seq = 2", value)
    assert audit_verify() == ChainReport(False, 1, 2, "content was altered: its hash does not match")


def test_deleting_an_event_in_the_middle_is_found(chain):
    sql("DELETE FROM audit_auditevent WHERE seq = 3")
    assert audit_verify() == ChainReport(False, 2, 3, "event 3 is missing (next is 4)")


def test_deleting_the_newest_event_is_found_through_the_head(chain):
    sql("DELETE FROM audit_auditevent WHERE seq = 5")
    assert audit_verify() == ChainReport(False, 4, 5, "the chain ends at 4 but the head says 5: events removed")


def test_a_forged_hash_after_an_edit_is_found_at_the_next_event(chain):
    set_after(2, {**chain[1].after, "amount_minor": 1})
    rehash(2)
    assert audit_verify() == ChainReport(False, 2, 3, "prev_hash does not match the previous event")


def test_forging_the_newest_event_is_found_through_the_head(chain):
    set_after(5, {**chain[4].after, "reason": "改过"})
    rehash(5)
    assert audit_verify() == ChainReport(False, 5, 5,
                                         "the newest event's hash differs from the head's: it was rewritten")


def test_an_event_appended_behind_audit_record_is_found(chain):
    last = chain[-1]
    fields = {"seq": 6, "occurred_at": last.occurred_at, "actor_name": "intruder", "action": "invoice_posted",
              "subject_type": "ledger.invoice", "subject_id": "1", "subject_repr": "INV-000001", "before": None,
              "after": None, "prev_hash": last.hash}
    AuditEvent.objects.create(hash=event_hash(**fields), **fields)
    assert audit_verify() == ChainReport(False, 6, 6,
                                         "the chain runs to 6 but the head says 5: events added outside audit_record")


def test_the_head_follows_the_newest_event(chain):
    head = AuditHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (5, chain[-1].hash)
