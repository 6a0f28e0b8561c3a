"""Demo data of invoice delivery proof, after the ledger is loaded: most invoices went out (by post with EMS
tracking numbers, one envelope per customer and month; by e-mail; a few by hand), most of those were confirmed
(a signed receipt scan, an e-mail reply, the portal button), and the last week's invoices and a few older ones
were never delivered, so /invoices/undelivered/ has work on both of its lists.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from arms.audit.services import (
    ExternalActor,
)
from arms.ledger.enums import DeliveryKind
from arms.ledger.models import Invoice, InvoiceDelivery
from arms.ledger.selectors import not_cancelled
from arms.ledger.services.deliveries import (
    DeliveryRow,
    ReceiptRow,
    invoice_deliveries_write_many,
)

#: invoices issued in the last days are not out yet
NOT_YET_DAYS = 7
#: of the older invoices: share never delivered, share delivered but not confirmed (the rest are confirmed)
UNDELIVERED_SHARE = 0.04
UNCONFIRMED_SHARE = 0.25


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 13)
    if not InvoiceDelivery.objects.exists():
        # drawn in the order of the documents' numbers, not of their ids (which follow how the bulk path wrote them)
        invoices = list(not_cancelled(Invoice.objects.filter(issue_date__lte=today - timedelta(days=NOT_YET_DAYS)))
                        .select_related("customer").prefetch_related("customer__contacts").order_by("issue_date",
                                                                                                       "number"))
        envelopes: dict[tuple[int, str, str], list[Invoice]] = defaultdict(list)
        habit = {}  # each customer gets its invoices one way
        deliveries: list[DeliveryRow] = []
        confirmations: list[ReceiptRow] = []
        for invoice in invoices:
            if rng.random() < UNDELIVERED_SHARE:
                continue
            way = habit.setdefault(invoice.customer_id, rng.choice(["post", "post", "email", "email", "hand"]))
            envelopes[(invoice.customer_id, way, f"{invoice.issue_date:%Y%m}")].append(invoice)
        for (customer_id, way, month), group in sorted(envelopes.items()):
            sent_on = min(max(i.issue_date for i in group) + timedelta(days=rng.randint(1, 4)), today)
            contact = next(iter(group[0].customer.contacts.all()), None)
            extra = {"carrier": "EMS", "tracking_no": f"E{rng.choice('ABCDEFGHJK')}{rng.randint(10**8, 10**9 - 1)}CN"} \
                if way == "post" else {}
            recipient = (contact.email if way == "email" and contact else contact.name if contact else "").strip()
            envelope = f"{customer_id}-{way}-{month}"  # one envelope's records share a batch reference
            deliveries.extend(DeliveryRow(invoice=invoice, channel=way, delivered_on=sent_on, recipient=recipient,
                                          envelope=envelope, **extra) for invoice in group)
            for invoice in group:
                if rng.random() < UNCONFIRMED_SHARE:
                    continue
                received = min(sent_on + timedelta(days=rng.randint(1, 6)), today)
                how = "scan" if way in ("post", "hand") else rng.choice(["email", "portal"])
                if how == "portal" and contact is not None:
                    # the portal's confirmations keep the contact as their actor (one global audit event each)
                    confirmations.append(ReceiptRow(
                        invoice=invoice, contact=contact, channel="portal", received_on=received,
                        actor=ExternalActor(kind="portal", name=contact.name, address="192.0.2.10")))
                elif how == "scan":
                    confirmations.append(ReceiptRow(
                        invoice=invoice, contact=contact, channel="scan", received_on=received, note="签收单原件已归档",
                        scan=(f"签收单-{invoice.number}.pdf",
                              f"%PDF-1.4 demo signed receipt {invoice.number}".encode())))
                else:
                    confirmations.append(ReceiptRow(invoice=invoice, contact=contact, channel="email",
                                                    received_on=received, note="客户邮件回复确认收到发票"))
        # one call: the services' checks, set-based writes, the clerk's records in one audit sub-chain
        invoice_deliveries_write_many(deliveries=deliveries, receipts=confirmations, actor=None,
                                      source="demo: invoice deliveries and receipts")
    receipts = InvoiceDelivery.objects.filter(kind=DeliveryKind.RECEIPT)
    deliveries = InvoiceDelivery.objects.filter(kind=DeliveryKind.DELIVERY)
    return {
        "invoice deliveries": deliveries.count(),
        "invoice deliveries by post": deliveries.filter(channel="post").count(),
        "invoice receipts confirmed": receipts.values("invoice_id").distinct().count(),
        "invoices not delivered": Invoice.objects.exclude(deliveries__isnull=False).count(),
    }
