"""Many deliveries and receipt confirmations in one call (``invoice_deliveries_write_many``: the demo seed uses
it): the rows and audit snapshots are those the single services write for the same records, the audit events sit in
one anchored sub-chain that verifies, and a bad row is refused by its place with nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.audit.actions import AuditAction
from arms.audit.models import AuditBatchEvent, AuditEvent
from arms.audit.services import ExternalActor, audit_batches_verify, audit_verify
from arms.common.errors import ArmsError
from arms.common.models import Attachment
from arms.customers.models import Contact
from arms.ledger import services
from arms.ledger.models import InvoiceDelivery
from arms.ledger.services.deliveries import (
    DeliveryRow,
    ReceiptRow,
    delivery_snapshot,
    invoice_deliveries_record,
    invoice_deliveries_write_many,
    invoice_receipt_confirm,
)
from tests import factories

pytestmark = pytest.mark.django_db

FIELDS = ["company_id", "kind", "channel", "occurred_on", "contact_id", "confirmed_by", "recipient", "note",
          "scan_name", "recorded_by_id", "recorded_by_name", "carrier", "tracking_no"]


def _row(delivery: InvoiceDelivery) -> dict:
    row = {name: getattr(delivery, name) for name in FIELDS}
    row["scan"] = (delivery.scan.size, delivery.scan.content_type, bytes(delivery.scan.content)) \
        if delivery.scan is not None else None
    return row


def written() -> tuple:
    return (InvoiceDelivery.objects.count(), AuditEvent.objects.count(), AuditBatchEvent.objects.count(),
            Attachment.objects.count())


@pytest.fixture
def contact(customer):
    return Contact.objects.create(customer=customer, name="李会计", email="li@example.com")


@pytest.mark.parametrize("actor_name", ["system", "clerk"])
def test_the_rows_are_those_the_single_services_write(customer, contact, clerk, today, actor_name):
    actor = clerk if actor_name == "clerk" else None
    issued = today - timedelta(days=40)
    receipts, pairs = [], []
    for n, (channel, note, who) in enumerate([("scan", "签收单原件已归档", contact),
                                              ("email", "客户邮件回复确认收到发票", contact),
                                              ("scan", "签收单原件已归档", None)]):
        by_service = factories.invoice(customer, issued=issued)
        in_bulk = factories.invoice(customer, issued=issued)
        received = issued + timedelta(days=5 + n)
        # the same bytes: both paths keep one attachment per SHA-256
        scan = (f"签收单-{n}.pdf", f"%PDF-1.4 demo signed receipt {n}".encode()) if channel == "scan" else None
        pairs.append((invoice_receipt_confirm(invoice=by_service, actor=actor, channel=channel, contact=who,
                                              received_on=received, note=note, scan=scan), in_bulk))
        receipts.append(ReceiptRow(invoice=in_bulk, channel=channel, received_on=received, contact=who, note=note,
                                   scan=scan))
    by_service = [factories.invoice(customer, issued=issued) for _n in range(2)]
    in_bulk = [factories.invoice(customer, issued=issued) for _n in range(2)]
    sent = {"channel": "post", "carrier": "EMS", "tracking_no": "EA123456789CN", "recipient": contact.name}
    service_rows = invoice_deliveries_record(invoices=by_service, actor=actor, delivered_on=issued + timedelta(days=2),
                                             **sent)
    pairs.extend(zip(service_rows, in_bulk, strict=True))
    rows = invoice_deliveries_write_many(
        deliveries=[DeliveryRow(invoice=invoice, delivered_on=issued + timedelta(days=2), envelope="e1", **sent)
                    for invoice in in_bulk],
        receipts=receipts, actor=actor)

    assert len(rows) == 5
    for service_row, invoice in pairs:
        bulk_row = InvoiceDelivery.objects.get(invoice=invoice)
        assert _row(bulk_row) == _row(service_row)
        assert {**delivery_snapshot(bulk_row), "invoice": "", "batch": bool(bulk_row.batch)} == \
            {**delivery_snapshot(service_row), "invoice": "", "batch": bool(service_row.batch)}
    # one envelope, one batch reference, as the service gives it
    assert len({InvoiceDelivery.objects.get(invoice=invoice).batch for invoice in in_bulk}) == 1
    assert AuditBatchEvent.objects.filter(action=AuditAction.INVOICE_RECEIPT_CONFIRMED).count() == 3
    assert AuditBatchEvent.objects.filter(action=AuditAction.INVOICE_DELIVERY_RECORDED).count() == 2
    assert audit_batches_verify().ok
    assert audit_verify().ok


def test_envelopes_get_their_own_batch_references(customer, today):
    invoices = [factories.invoice(customer, issued=today - timedelta(days=9)) for _n in range(3)]
    rows = invoice_deliveries_write_many(deliveries=[
        DeliveryRow(invoice=invoices[0], channel="hand", delivered_on=today, envelope="a"),
        DeliveryRow(invoice=invoices[1], channel="hand", delivered_on=today, envelope="a"),
        DeliveryRow(invoice=invoices[2], channel="hand", delivered_on=today, envelope="b")], actor=None)
    assert rows[0].batch == rows[1].batch != rows[2].batch
    assert invoice_deliveries_write_many(deliveries=[], receipts=[], actor=None) == []
    assert [row.batch for row in invoice_deliveries_write_many(deliveries=[
        DeliveryRow(invoice=invoices[0], channel="email", delivered_on=today)], actor=None)] == [""]


def _cases(customer, other_contact, today):
    good = factories.invoice(customer, issued=today - timedelta(days=30))
    cancelled = factories.invoice(customer, issued=today - timedelta(days=30))
    services.credit_note_post(actor=None, invoice=cancelled, on=today - timedelta(days=2), net_minor=100_000,
                              tax_minor=13_000, reason="开错了")
    hand = {"channel": "hand", "delivered_on": today}
    ok_receipt = ReceiptRow(invoice=good, channel="email", received_on=today)
    return [
        ({"deliveries": [DeliveryRow(invoice=good, **hand),
                         DeliveryRow(invoice=good, channel="post", delivered_on=today, carrier="EMS")]},
         "invalid", "deliveries[1].tracking_no"),
        ({"deliveries": [DeliveryRow(invoice=good, **hand), DeliveryRow(invoice=cancelled, **hand)]},
         "invoice_cancelled", "deliveries[1].invoice"),
        ({"deliveries": [DeliveryRow(invoice=good, channel="hand", delivered_on=today + timedelta(days=1))]},
         "invalid", "deliveries[0].delivered_on"),
        ({"deliveries": [DeliveryRow(invoice=good, channel="pigeon", delivered_on=today)]},
         "invalid", "deliveries[0].channel"),
        ({"deliveries": [DeliveryRow(invoice=good, **hand)],
          "receipts": [ok_receipt, ReceiptRow(invoice=good, channel="email", received_on=today,
                                              contact=other_contact)]},
         "invalid", "receipts[1].contact"),
        ({"deliveries": [DeliveryRow(invoice=good, **hand)],
          "receipts": [ok_receipt, ReceiptRow(invoice=good, channel="scan", received_on=today)]},
         "invalid", "receipts[1].scan"),
        ({"receipts": [ok_receipt, ReceiptRow(invoice=good, channel="scan", received_on=today, scan=("x.pdf", b""))]},
         "invalid", "receipts[1].scan"),
        ({"receipts": [ReceiptRow(invoice=good, channel="portal", received_on=today)]},
         "invalid", "receipts[0].channel"),
        ({"receipts": [ok_receipt, ReceiptRow(invoice=good, channel="email", received_on=today - timedelta(days=31))]},
         "invalid", "receipts[1].received_on"),
        ({"receipts": [ok_receipt, ReceiptRow(invoice=cancelled, channel="email", received_on=today)]},
         "invoice_cancelled", "receipts[1].invoice"),
    ]


def test_a_bad_row_is_refused_by_its_place_and_nothing_is_written(customer, today):
    other = factories.customer()
    other_contact = Contact.objects.create(customer=other, name="别家", email="x@example.com")
    for kwargs, code, field in _cases(customer, other_contact, today):
        before = written()
        with pytest.raises(ArmsError) as caught:
            invoice_deliveries_write_many(actor=None, **kwargs)
        assert (caught.value.code, caught.value.field) == (code, field), kwargs
        assert written() == before


def test_a_portal_confirmation_is_the_one_the_service_writes_under_the_contacts_own_actor(customer, contact, today):
    issued = today - timedelta(days=20)
    by_service, in_bulk = factories.invoice(customer, issued=issued), factories.invoice(customer, issued=issued)
    portal = ExternalActor(kind="portal", name=contact.name, address="192.0.2.10")
    received = issued + timedelta(days=3)
    single = invoice_receipt_confirm(invoice=by_service, actor=portal, channel="portal", contact=contact,
                                     received_on=received)
    batches = AuditBatchEvent.objects.count()

    rows = invoice_deliveries_write_many(receipts=[
        ReceiptRow(invoice=in_bulk, channel="portal", received_on=received, contact=contact, actor=portal),
        # the same contact's button on the same day again: the first record, nothing written
        ReceiptRow(invoice=in_bulk, channel="portal", received_on=received, contact=contact, actor=portal),
        ReceiptRow(invoice=by_service, channel="portal", received_on=received, contact=contact, actor=portal),
    ], actor=None)

    bulk_row = InvoiceDelivery.objects.get(invoice=in_bulk)
    assert rows == [bulk_row, bulk_row, single]
    assert _row(bulk_row) == _row(single)
    events = {event.subject_id: event for event in AuditEvent.objects.filter(
        action=AuditAction.INVOICE_RECEIPT_CONFIRMED)}
    assert set(events) == {str(single.pk), str(bulk_row.pk)}
    service_event, bulk_event = events[str(single.pk)], events[str(bulk_row.pk)]
    assert (bulk_event.actor_name, bulk_event.actor_id) == (service_event.actor_name, None) == (portal.audit_name, None)
    assert {**bulk_event.after, "invoice": ""} == {**service_event.after, "invoice": ""}
    # the contact's events are on the global chain only: no sub-chain opened for them
    assert AuditBatchEvent.objects.count() == batches
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_BATCH_ANCHORED).exists()
    assert audit_verify().ok


def test_a_portal_confirmation_without_its_contacts_actor_is_refused(customer, contact, today):
    invoice = factories.invoice(customer, issued=today - timedelta(days=20))
    before = written()
    with pytest.raises(ArmsError) as caught:
        invoice_deliveries_write_many(receipts=[
            ReceiptRow(invoice=invoice, channel="portal", received_on=today, contact=contact)], actor=None)
    assert (caught.value.code, caught.value.field) == ("invalid", "receipts[0].channel")
    assert written() == before
