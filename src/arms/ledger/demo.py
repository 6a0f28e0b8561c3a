"""Demo data of invoice delivery proof, after the ledger is loaded: most invoices went out (by post with EMS
tracking numbers, one envelope per customer and month; by e-mail; a few by hand), most of those were confirmed
(a signed receipt scan, an e-mail reply, the portal button), and the last week's invoices and a few older ones
were never delivered, so /invoices/undelivered/ has work on both of its lists.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from arms.audit.actions import AuditAction
from arms.audit.services import (
    BatchEvent,
    ExternalActor,
    audit_batch_anchor,
    audit_batch_append,
    audit_batch_open,
)
from arms.common.models import Attachment
from arms.customers.models import Contact
from arms.ledger.enums import DeliveryKind
from arms.ledger.models import Invoice, InvoiceDelivery
from arms.ledger.models.delivery import MAX_RECIPIENT
from arms.ledger.selectors import not_cancelled
from arms.ledger.services.deliveries import (
    delivery_snapshot,
    invoice_receipt_confirm,
)

#: invoices issued in the last days are not out yet
NOT_YET_DAYS = 7
#: of the older invoices: share never delivered, share delivered but not confirmed (the rest are confirmed)
UNDELIVERED_SHARE = 0.04
UNCONFIRMED_SHARE = 0.25


@dataclass(frozen=True)
class _Confirmation:
    """A receipt the clerk records (a signed scan, an e-mail reply), written with the others in bulk."""

    invoice: Invoice
    contact: Contact | None
    channel: str
    received_on: date
    note: str
    scan: bytes | None = None


def _deliveries_write(deliveries: list[InvoiceDelivery], confirmations: list[_Confirmation]) -> None:
    """The demo's deliveries (one envelope's share a batch reference) and the clerk's receipt confirmations in a few
    inserts (the deliveries, the scans, the receipts, their audit events in one sub-chain anchored by one event)
    instead of one ``invoice_deliveries_record`` per envelope and one ``invoice_receipt_confirm`` per receipt: the
    rows those services write for an actor-less record (``recorded_by_name`` "system", ``confirmed_by`` the contact;
    tests/seed/test_demo_receipts.py compares them). The demo's data is valid by construction, so the services'
    checks (the contact's customer, the dates, a cancelled invoice, a post's tracking number) are not repeated."""
    if not deliveries and not confirmations:
        return
    with transaction.atomic():
        InvoiceDelivery.objects.bulk_create(deliveries, batch_size=2000)
        scans = {}
        for row in confirmations:
            if row.scan is not None:
                scans.setdefault(hashlib.sha256(row.scan).hexdigest(), row.scan)
        Attachment.objects.bulk_create(
            [Attachment(sha256=digest, size=len(content), content_type="application/pdf", content=content)
             for digest, content in scans.items()], batch_size=500, ignore_conflicts=True)
        stored = Attachment.objects.filter(sha256__in=list(scans)).defer("content").in_bulk(field_name="sha256")
        receipts = [InvoiceDelivery(
            company_id=row.invoice.company_id, invoice=row.invoice, kind=DeliveryKind.RECEIPT, channel=row.channel,
            occurred_on=row.received_on, contact=row.contact,
            confirmed_by=(row.contact.name if row.contact is not None else "system")[:MAX_RECIPIENT],
            recipient=row.contact.email if row.contact is not None else "", note=row.note,
            scan=stored[hashlib.sha256(row.scan).hexdigest()] if row.scan is not None else None,
            scan_name=f"签收单-{row.invoice.number}.pdf" if row.scan is not None else "", recorded_by=None,
            recorded_by_name="system",
        ) for row in confirmations]
        InvoiceDelivery.objects.bulk_create(receipts, batch_size=2000)
        batch = audit_batch_open(actor=None, source="demo: invoice deliveries and receipts")
        audit_batch_append(batch, [
            *(BatchEvent(action=AuditAction.INVOICE_DELIVERY_RECORDED, subject=delivery,
                         after=delivery_snapshot(delivery)) for delivery in deliveries),
            *(BatchEvent(action=AuditAction.INVOICE_RECEIPT_CONFIRMED, subject=receipt,
                         after=delivery_snapshot(receipt)) for receipt in receipts),
        ])
        audit_batch_anchor(batch)


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 13)
    if not InvoiceDelivery.objects.exists():
        invoices = list(not_cancelled(Invoice.objects.filter(issue_date__lte=today - timedelta(days=NOT_YET_DAYS)))
                        .select_related("customer").prefetch_related("customer__contacts").order_by("issue_date",
                                                                                                       "pk"))
        envelopes: dict[tuple[int, str, str], list[Invoice]] = defaultdict(list)
        habit = {}  # each customer gets its invoices one way
        deliveries: list[InvoiceDelivery] = []
        confirmations: list[_Confirmation] = []
        for invoice in invoices:
            if rng.random() < UNDELIVERED_SHARE:
                continue
            way = habit.setdefault(invoice.customer_id, rng.choice(["post", "post", "email", "email", "hand"]))
            envelopes[(invoice.customer_id, way, f"{invoice.issue_date:%Y%m}")].append(invoice)
        for (_customer, way, _month), group in sorted(envelopes.items()):
            sent_on = min(max(i.issue_date for i in group) + timedelta(days=rng.randint(1, 4)), today)
            contact = next(iter(group[0].customer.contacts.all()), None)
            extra = {"carrier": "EMS", "tracking_no": f"E{rng.choice('ABCDEFGHJK')}{rng.randint(10**8, 10**9 - 1)}CN"} \
                if way == "post" else {}
            recipient = (contact.email if way == "email" and contact else contact.name if contact else "").strip()
            batch = uuid.uuid4().hex[:12]  # one envelope's records share a reference, as the service gives them
            deliveries.extend(InvoiceDelivery(
                company_id=invoice.company_id, invoice=invoice, kind=DeliveryKind.DELIVERY, occurred_on=sent_on,
                batch=batch, recorded_by=None, recorded_by_name="system", channel=way, carrier=extra.get("carrier", ""),
                tracking_no=extra.get("tracking_no", ""), recipient=recipient, note="") for invoice in group)
            for invoice in group:
                if rng.random() < UNCONFIRMED_SHARE:
                    continue
                received = min(sent_on + timedelta(days=rng.randint(1, 6)), today)
                how = "scan" if way in ("post", "hand") else rng.choice(["email", "portal"])
                if how == "portal" and contact is not None:
                    # the portal's confirmations keep the contact as their audit actor: one call each
                    invoice_receipt_confirm(invoice=invoice, actor=ExternalActor(kind="portal", name=contact.name,
                                                                                  address="192.0.2.10"),
                                            channel="portal", contact=contact, received_on=received)
                elif how == "scan":
                    confirmations.append(_Confirmation(invoice, contact, "scan", received, "签收单原件已归档",
                                                       f"%PDF-1.4 demo signed receipt {invoice.number}".encode()))
                else:
                    confirmations.append(_Confirmation(invoice, contact, "email", received, "客户邮件回复确认收到发票"))
        _deliveries_write(deliveries, confirmations)
    receipts = InvoiceDelivery.objects.filter(kind=DeliveryKind.RECEIPT)
    deliveries = InvoiceDelivery.objects.filter(kind=DeliveryKind.DELIVERY)
    return {
        "invoice deliveries": deliveries.count(),
        "invoice deliveries by post": deliveries.filter(channel="post").count(),
        "invoice receipts confirmed": receipts.values("invoice_id").distinct().count(),
        "invoices not delivered": Invoice.objects.exclude(deliveries__isnull=False).count(),
    }
