"""The demo's deliveries and receipt confirmations written in bulk (``arms.ledger.demo._deliveries_write``) are
the rows the services ``invoice_deliveries_record`` and ``invoice_receipt_confirm`` write for the same records,
and their audit events sit in one anchored sub-chain that verifies."""

from __future__ import annotations

from datetime import date

from arms.audit.actions import AuditAction
from arms.audit.models import AuditBatchEvent
from arms.audit.services import audit_batches_verify, audit_verify
from arms.customers.models import Contact
from arms.ledger.demo import _Confirmation, _deliveries_write
from arms.ledger.enums import DeliveryKind
from arms.ledger.models import InvoiceDelivery
from arms.ledger.services.deliveries import delivery_snapshot, invoice_deliveries_record, invoice_receipt_confirm
from tests import factories

FIELDS = ["company_id", "kind", "channel", "occurred_on", "contact_id", "confirmed_by", "recipient", "note",
          "scan_name", "recorded_by_id", "recorded_by_name", "carrier", "tracking_no"]


def _row(delivery: InvoiceDelivery) -> dict:
    row = {name: getattr(delivery, name) for name in FIELDS}
    row["scan"] = (delivery.scan.size, delivery.scan.content_type, bytes(delivery.scan.content)) \
        if delivery.scan is not None else None
    return row


def test_bulk_receipts_are_the_rows_the_service_writes(db):
    customer = factories.customer()
    contact = Contact.objects.create(customer=customer, name="李会计", email="li@example.com")
    issued = date(2026, 1, 10)
    pairs = []
    for n, (channel, note, with_contact) in enumerate([("scan", "签收单原件已归档", True),
                                                       ("email", "客户邮件回复确认收到发票", True),
                                                       ("scan", "签收单原件已归档", False)]):
        by_service = factories.invoice(customer, number=f"INV-R-S{n}", issued=issued)
        in_bulk = factories.invoice(customer, number=f"INV-R-B{n}", issued=issued)
        who = contact if with_contact else None
        received = date(2026, 1, 15 + n)
        # the same bytes: the bulk path stores the scan once, as the service does (one attachment per SHA-256)
        content = f"%PDF-1.4 demo signed receipt {n}".encode() if channel == "scan" else None
        service_row = invoice_receipt_confirm(
            invoice=by_service, actor=None, channel=channel, contact=who, received_on=received, note=note,
            scan=(f"签收单-{in_bulk.number}.pdf", content) if content else None)
        pairs.append((service_row, in_bulk))
        _deliveries_write([], [_Confirmation(in_bulk, who, channel, received, note, content)])
    for service_row, invoice in pairs:
        bulk_row = InvoiceDelivery.objects.get(invoice=invoice)
        assert _row(bulk_row) == _row(service_row)
        snapshot = {**delivery_snapshot(bulk_row), "invoice": service_row.invoice.number}
        assert snapshot == delivery_snapshot(service_row)
    assert AuditBatchEvent.objects.filter(action=AuditAction.INVOICE_RECEIPT_CONFIRMED).count() == 3

    # one envelope of two invoices by post
    by_service = [factories.invoice(customer, number=f"INV-D-S{n}", issued=issued) for n in range(2)]
    in_bulk = [factories.invoice(customer, number=f"INV-D-B{n}", issued=issued) for n in range(2)]
    sent = {"channel": "post", "carrier": "EMS", "tracking_no": "EA123456789CN", "recipient": contact.name}
    service_rows = invoice_deliveries_record(invoices=by_service, actor=None, delivered_on=date(2026, 1, 12), **sent)
    _deliveries_write([InvoiceDelivery(company_id=invoice.company_id, invoice=invoice, kind=DeliveryKind.DELIVERY,
                                       occurred_on=date(2026, 1, 12), batch="envelope-1", recorded_by=None,
                                       recorded_by_name="system", note="", **sent) for invoice in in_bulk], [])
    for service_row, invoice in zip(service_rows, in_bulk, strict=True):
        assert _row(InvoiceDelivery.objects.get(invoice=invoice)) == _row(service_row)
    assert AuditBatchEvent.objects.filter(action=AuditAction.INVOICE_DELIVERY_RECORDED).count() == 2
    assert audit_batches_verify().ok
    assert audit_verify().ok
