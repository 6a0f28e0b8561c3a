"""Invoice delivery proof (送达 / 签收确认): record how an invoice went out, and the customer's confirmation of receipt.

Records are append-only evidence (``InvoiceDelivery``): a wrong one is corrected by a new record whose note says
so. Every write locks the invoice rows (in primary-key order), checks every input before writing anything, and
audits in the same transaction. ``actor`` is a user, None for the system, or an
``arms.audit.services.ExternalActor`` for a customer's contact acting in the portal.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import (
    BatchEvent,
    ExternalActor,
    audit_batch_anchor,
    audit_batch_append,
    audit_batch_open,
    audit_record,
)
from arms.common.attachments import attachment_store, attachments_store_many
from arms.common.bounds import MAX_NOTE, date_check
from arms.common.errors import ValidationFailed, refused_at
from arms.common.locks import invoices_qs_for_update
from arms.common.mail import new_message_id
from arms.common.uploads import FileTooLarge, upload_max_bytes, upload_too_large_message
from arms.ledger.documents import invoice_pdf_filename, render_invoice_pdf
from arms.ledger.enums import DeliveryChannel, DeliveryKind, ReceiptChannel
from arms.ledger.errors import InvoiceCancelled, MailNotSent
from arms.ledger.models import CreditNote, Invoice, InvoiceDelivery
from arms.ledger.models.delivery import MAX_CARRIER, MAX_RECIPIENT, MAX_TRACKING_NO

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import User

    from arms.common.models import Attachment
    from arms.common.typing import JsonDict
    from arms.customers.models import Contact

log = logging.getLogger(__name__)

#: at most this many invoices in one bulk record (one envelope, one courier run)
MAX_BULK = 500
MAX_SCAN_NAME = 200
#: a waybill number: letters, digits, dashes and spaces (EMS: EA123456789CN; SF: 12 digits)
_TRACKING_NO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _user(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _actor_name(actor: Any) -> str:
    if isinstance(actor, ExternalActor):
        return actor.audit_name
    user = _user(actor)
    return user.get_username() if user is not None else "system"


def _line(value: str | None, *, field: str, limit: int) -> str:
    text = (value or "").strip()
    if _CONTROL.search(text):
        raise ValidationFailed(_("One line of text, without control characters."), field=field)
    if len(text) > limit:
        raise ValidationFailed(_("At most %(limit)s characters.") % {"limit": limit}, field=field)
    return text


def _note(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > MAX_NOTE:
        raise ValidationFailed(_("At most %(limit)s characters.") % {"limit": MAX_NOTE}, field="note")
    return text


def _day(value: date | None, *, invoice: Invoice, field: str) -> date:
    today = timezone.localdate()
    if value is None:
        return max(today, invoice.issue_date)
    if not isinstance(value, date):
        raise ValidationFailed(_("A date (YYYY-MM-DD)."), field=field)
    date_check(value, field=field)
    if value > today:
        raise ValidationFailed(_("The date %(date)s is in the future.") % {"date": value.isoformat()}, field=field)
    if value < invoice.issue_date:
        raise ValidationFailed(
            _("The date %(date)s is before invoice %(number)s was issued (%(issued)s).")
            % {"date": value.isoformat(), "number": invoice.number, "issued": invoice.issue_date.isoformat()},
            field=field,
        )
    return value


def invoice_is_cancelled(invoice: Invoice) -> bool:
    """True when credit notes have wholly cancelled the invoice (红冲): nothing is left to deliver or confirm."""
    credited = invoice.credit_notes.aggregate(total=Sum("gross_minor"))["total"] or 0
    return credited >= invoice.gross_minor


def _usable(invoice: Invoice, *, field: str = "invoice") -> None:
    if invoice_is_cancelled(invoice):
        raise InvoiceCancelled(
            _("Invoice %(number)s is cancelled by credit notes; there is nothing to deliver.")
            % {"number": invoice.number},
            field=field,
        )


def _locked(invoices: Sequence[Invoice]) -> dict[int, Invoice]:
    return {inv.pk: inv for inv in invoices_qs_for_update(inv.pk for inv in invoices)}


def delivery_snapshot(delivery: InvoiceDelivery) -> JsonDict:
    return {
        "invoice": delivery.invoice.number, "kind": delivery.kind, "channel": delivery.channel,
        "date": delivery.occurred_on, "carrier": delivery.carrier, "tracking_no": delivery.tracking_no,
        "recipient": delivery.recipient, "contact": delivery.contact_id, "confirmed_by": delivery.confirmed_by,
        "note": delivery.note, "batch": delivery.batch,
        "scan_sha256": delivery.scan.sha256 if delivery.scan is not None else "", "scan_name": delivery.scan_name,
    }


def _delivery_fields(*, channel: str, carrier: str, tracking_no: str, recipient: str, note: str) -> JsonDict:
    if channel not in DeliveryChannel.values:
        raise ValidationFailed(
            _("Unknown delivery channel %(value)s; one of %(choices)s.")
            % {"value": channel, "choices": ", ".join(DeliveryChannel.values)},
            field="channel",
        )
    carrier = _line(carrier, field="carrier", limit=MAX_CARRIER)
    tracking_no = _line(tracking_no, field="tracking_no", limit=MAX_TRACKING_NO)
    if tracking_no and not _TRACKING_NO.match(tracking_no):
        raise ValidationFailed(_("A tracking number has letters, digits, dashes and spaces only."),
                               field="tracking_no")
    if channel == DeliveryChannel.POST:
        if not carrier:
            raise ValidationFailed(_("Name the carrier (EMS, SF Express ...) of a delivery by post."), field="carrier")
        if not tracking_no:
            raise ValidationFailed(_("A delivery by post needs its tracking number."), field="tracking_no")
    return {"channel": channel, "carrier": carrier, "tracking_no": tracking_no,
            "recipient": _line(recipient, field="recipient", limit=MAX_RECIPIENT), "note": _note(note)}


def _delivery_write(*, invoice: Invoice, actor: Any, fields: JsonDict, on: date, batch: str = "") -> InvoiceDelivery:
    delivery = InvoiceDelivery.objects.create(
        company_id=invoice.company_id, invoice=invoice, kind=DeliveryKind.DELIVERY, occurred_on=on, batch=batch,
        recorded_by=_user(actor), recorded_by_name=_actor_name(actor), **fields,
    )
    audit_record(actor=actor, action=AuditAction.INVOICE_DELIVERY_RECORDED, subject=delivery,
                 after=delivery_snapshot(delivery))
    return delivery


@transaction.atomic
def invoice_delivery_record(*, invoice: Invoice, actor: Any, channel: str, delivered_on: date | None = None,
                            carrier: str = "", tracking_no: str = "", recipient: str = "",
                            note: str = "") -> InvoiceDelivery:
    """Record that ``invoice`` was delivered on ``delivered_on`` (today by default) by ``channel`` (email, portal,
    post, hand). Post needs the carrier and the tracking number. A wholly credited invoice is refused."""
    fields = _delivery_fields(channel=channel, carrier=carrier, tracking_no=tracking_no, recipient=recipient,
                              note=note)
    locked = _locked([invoice])[invoice.pk]
    on = _day(delivered_on, invoice=locked, field="delivered_on")
    _usable(locked)
    return _delivery_write(invoice=locked, actor=actor, fields=fields, on=on)


@transaction.atomic
def invoice_deliveries_record(*, invoices: Sequence[Invoice], actor: Any, channel: str,
                              delivered_on: date | None = None, carrier: str = "", tracking_no: str = "",
                              recipient: str = "", note: str = "") -> list[InvoiceDelivery]:
    """Record one delivery of several invoices at once (one EMS envelope): all or none. The records share a
    batch reference; an error names the invoice by its place in the list (``invoices[2]``)."""
    if not invoices:
        raise ValidationFailed(_("Name at least one invoice."), field="invoices")
    if len(invoices) > MAX_BULK:
        raise ValidationFailed(_("At most %(limit)s invoices at once.") % {"limit": MAX_BULK}, field="invoices")
    seen: set[int] = set()
    for index, invoice in enumerate(invoices):
        if invoice.pk in seen:
            raise ValidationFailed(_("Invoice %(number)s is listed twice.") % {"number": invoice.number},
                                   field=f"invoices[{index}]")
        seen.add(invoice.pk)
    fields = _delivery_fields(channel=channel, carrier=carrier, tracking_no=tracking_no, recipient=recipient,
                              note=note)
    locked = _locked(invoices)
    days = []
    for index, invoice in enumerate(invoices):
        row = locked[invoice.pk]
        days.append(_day(delivered_on, invoice=row, field="delivered_on" if delivered_on else f"invoices[{index}]"))
        _usable(row, field=f"invoices[{index}]")
    batch = uuid.uuid4().hex[:12]
    return [_delivery_write(invoice=locked[invoice.pk], actor=actor, fields=fields, on=on, batch=batch)
            for invoice, on in zip(invoices, days, strict=True)]


def _scan_read(scan: Any) -> tuple[str, bytes]:
    """``scan`` as (file name, bytes): an uploaded file (``name`` and ``read()``) or a ``(name, bytes)`` pair."""
    limit = upload_max_bytes()
    if isinstance(scan, tuple) and len(scan) == 2:
        name, content = scan
    elif hasattr(scan, "read"):
        if getattr(scan, "size", 0) > limit:
            raise FileTooLarge(upload_too_large_message(), field="scan", limit=limit)
        name, content = getattr(scan, "name", "") or "", scan.read()
    else:
        raise ValidationFailed(_("Attach the signed receipt scan."), field="scan")
    if not isinstance(content, bytes | bytearray) or not content:
        raise ValidationFailed(_("The file is empty."), field="scan")
    if len(content) > limit:
        raise FileTooLarge(upload_too_large_message(), field="scan", limit=limit)
    name = _line(str(name).replace("\\", "/").rsplit("/", 1)[-1], field="scan", limit=MAX_SCAN_NAME)
    return name or "scan", bytes(content)


@transaction.atomic
def invoice_receipt_confirm(*, invoice: Invoice, actor: Any, channel: str, contact: Contact | None = None,
                            received_on: date | None = None, note: str = "", scan: Any = None) -> InvoiceDelivery:
    """Record that the customer confirmed receiving ``invoice``: by the portal button (``portal``), a signed
    receipt scan (``scan``: the file is required and kept by SHA-256), or an e-mail reply the clerk records
    (``email``). ``contact`` must be one of the invoice's customer's contacts. Confirming by the portal twice on
    one day returns the first record."""
    if channel not in ReceiptChannel.values:
        raise ValidationFailed(
            _("Unknown receipt channel %(value)s; one of %(choices)s.")
            % {"value": channel, "choices": ", ".join(ReceiptChannel.values)},
            field="channel",
        )
    if contact is not None and contact.customer_id != invoice.customer_id:
        raise ValidationFailed(_("The contact is not one of this invoice's customer's."), field="contact")
    if channel == ReceiptChannel.SCAN and scan is None:
        raise ValidationFailed(_("Attach the signed receipt scan."), field="scan")
    note = _note(note)
    scanned = _scan_read(scan) if scan is not None else None
    locked = _locked([invoice])[invoice.pk]
    on = _day(received_on, invoice=locked, field="received_on")
    _usable(locked)
    if channel == ReceiptChannel.PORTAL and scanned is None:
        earlier: InvoiceDelivery | None = InvoiceDelivery.objects.filter(
            invoice=locked, kind=DeliveryKind.RECEIPT, channel=channel, contact=contact, occurred_on=on).first()
        if earlier is not None:
            return earlier
    if contact is not None:
        who = contact.name
    elif isinstance(actor, ExternalActor):
        who = actor.name
    else:
        who = _actor_name(actor)
    stored: Attachment | None = attachment_store(content=scanned[1], name=scanned[0]) if scanned else None
    delivery = InvoiceDelivery.objects.create(
        company_id=locked.company_id, invoice=locked, kind=DeliveryKind.RECEIPT, channel=channel, occurred_on=on,
        contact=contact, confirmed_by=who[:MAX_RECIPIENT], recipient=contact.email if contact else "", note=note,
        scan=stored, scan_name=scanned[0] if scanned else "", recorded_by=_user(actor),
        recorded_by_name=_actor_name(actor),
    )
    audit_record(actor=actor, action=AuditAction.INVOICE_RECEIPT_CONFIRMED, subject=delivery,
                 after=delivery_snapshot(delivery))
    return delivery


# --- many records in one call (the demo seed, a delivery import): the single services' rules, set-based writes ----

#: at most this many records in one ``invoice_deliveries_write_many`` call
MAX_MANY = 50_000
#: invoices locked and checked per query
_CHUNK = 1000


@dataclass(frozen=True)
class DeliveryRow:
    """One invoice delivered (``invoice_delivery_record``'s arguments); rows with the same non-empty ``envelope``
    went out together and share one batch reference, as ``invoice_deliveries_record`` gives them."""

    invoice: Invoice
    channel: str
    delivered_on: date
    carrier: str = ""
    tracking_no: str = ""
    recipient: str = ""
    note: str = ""
    envelope: str = ""


@dataclass(frozen=True)
class ReceiptRow:
    """One receipt confirmation (``invoice_receipt_confirm``'s arguments): a signed scan ``(name, bytes)`` or an
    e-mail reply a clerk records, or the portal button. ``actor``: the row's own actor, a customer's contact in the
    portal (``ExternalActor``); a portal confirmation is the contact's own act and needs one. A row with its own
    actor is recorded and audited as that actor, one event on the global chain as ``invoice_receipt_confirm``
    writes it; the others under the call's actor, in its sub-chain."""

    invoice: Invoice
    channel: str
    received_on: date
    contact: Contact | None = None
    note: str = ""
    scan: tuple[str, bytes] | None = None
    actor: ExternalActor | None = None


def _cancelled_ids(invoices: Sequence[Invoice]) -> set[int]:
    """The invoices among ``invoices`` wholly cancelled by credit notes (``invoice_is_cancelled``), in one query."""
    credited = (CreditNote.objects.filter(invoice_id__in=[invoice.pk for invoice in invoices]).order_by()
                .values("invoice_id").annotate(total=Sum("gross_minor")).values_list("invoice_id", "total"))
    gross = {invoice.pk: invoice.gross_minor for invoice in invoices}
    return {invoice_id for invoice_id, total in credited if total >= gross[invoice_id]}


@transaction.atomic
def invoice_deliveries_write_many(*, deliveries: Sequence[DeliveryRow] = (), receipts: Sequence[ReceiptRow] = (),
                                  actor: Any, source: str = "") -> list[InvoiceDelivery]:
    """Record many deliveries and receipt confirmations at once, all or none: every row is checked as
    ``invoice_delivery_record`` and ``invoice_receipt_confirm`` check it (an error names the row,
    ``deliveries[3].tracking_no``, ``receipts[0].received_on``), the invoices are locked in primary-key order, a
    thousand per query, and the rows, the scans and the audit events (one sub-chain, anchored by one event) are
    written in a few inserts; a receipt with its own actor (a contact's portal confirmation) is audited as that
    actor, one event on the global chain each. Returns the deliveries, then the receipts, in the order given (a
    portal confirmation repeating one of the same invoice, contact and day: that earlier record, as
    ``invoice_receipt_confirm`` returns it)."""
    total = len(deliveries) + len(receipts)
    if total > MAX_MANY:
        raise ValidationFailed(_("At most %(limit)s records at once.") % {"limit": MAX_MANY}, field="deliveries")
    delivery_fields: list[JsonDict] = []
    for index, row in enumerate(deliveries):
        with refused_at(index, within="deliveries"):
            delivery_fields.append(_delivery_fields(channel=row.channel, carrier=row.carrier,
                                                    tracking_no=row.tracking_no, recipient=row.recipient,
                                                    note=row.note))
    receipt_notes: list[str] = []
    scans: list[tuple[str, bytes] | None] = []
    for index, receipt in enumerate(receipts):
        with refused_at(index, within="receipts"):
            if receipt.channel not in ReceiptChannel.values:
                raise ValidationFailed(
                    _("Unknown receipt channel %(value)s; one of %(choices)s.")
                    % {"value": receipt.channel, "choices": ", ".join(ReceiptChannel.values)},
                    field="channel")
            if receipt.channel == ReceiptChannel.PORTAL and receipt.actor is None:
                raise ValidationFailed(_("A portal confirmation is the contact's own act: name the contact as the "
                                         "row's actor."), field="channel")
            if receipt.contact is not None and receipt.contact.customer_id != receipt.invoice.customer_id:
                raise ValidationFailed(_("The contact is not one of this invoice's customer's."), field="contact")
            if receipt.channel == ReceiptChannel.SCAN and receipt.scan is None:
                raise ValidationFailed(_("Attach the signed receipt scan."), field="scan")
            receipt_notes.append(_note(receipt.note))
            scans.append(_scan_read(receipt.scan) if receipt.scan is not None else None)
    ids = sorted({row.invoice.pk for row in deliveries} | {row.invoice.pk for row in receipts})
    locked: dict[int, Invoice] = {}
    cancelled: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = list(invoices_qs_for_update(ids[start:start + _CHUNK]))
        locked.update((invoice.pk, invoice) for invoice in chunk)
        cancelled |= _cancelled_ids(chunk)
    user, name = _user(actor), _actor_name(actor)
    envelopes: dict[str, str] = {}
    written: list[InvoiceDelivery] = []
    for index, (row, fields) in enumerate(zip(deliveries, delivery_fields, strict=True)):
        invoice = locked[row.invoice.pk]
        with refused_at(index, within="deliveries"):
            on = _day(row.delivered_on, invoice=invoice, field="delivered_on")
            if invoice.pk in cancelled:
                _usable(invoice)
        batch = envelopes.setdefault(row.envelope, uuid.uuid4().hex[:12]) if row.envelope else ""
        written.append(InvoiceDelivery(company_id=invoice.company_id, invoice=invoice, kind=DeliveryKind.DELIVERY,
                                       occurred_on=on, batch=batch, recorded_by=user, recorded_by_name=name,
                                       **fields))
    stored = attachments_store_many(scan for scan in scans if scan is not None)
    # a portal confirmation of an invoice by the same contact on the same day as an earlier one is that one
    earlier = _portal_receipts(ids) if any(
        receipt.channel == ReceiptChannel.PORTAL and receipt.scan is None for receipt in receipts) else {}
    answer = list(written)
    own_actor: dict[int, ExternalActor] = {}  # id(row) -> the row's own actor
    for index, (receipt, note, scanned) in enumerate(zip(receipts, receipt_notes, scans, strict=True)):
        invoice = locked[receipt.invoice.pk]
        with refused_at(index, within="receipts"):
            on = _day(receipt.received_on, invoice=invoice, field="received_on")
            if invoice.pk in cancelled:
                _usable(invoice)
        contact = receipt.contact
        same_day = (invoice.pk, getattr(contact, "pk", None), on)
        if receipt.channel == ReceiptChannel.PORTAL and scanned is None and same_day in earlier:
            answer.append(earlier[same_day])
            continue
        row_user, row_name = (_user(receipt.actor), _actor_name(receipt.actor)) if receipt.actor else (user, name)
        who = contact.name if contact is not None else receipt.actor.name if receipt.actor else name
        record = InvoiceDelivery(
            company_id=invoice.company_id, invoice=invoice, kind=DeliveryKind.RECEIPT, channel=receipt.channel,
            occurred_on=on, contact=contact, confirmed_by=who[:MAX_RECIPIENT],
            recipient=contact.email if contact is not None else "", note=note,
            scan=stored[hashlib.sha256(scanned[1]).hexdigest()] if scanned else None,
            scan_name=scanned[0] if scanned else "", recorded_by=row_user, recorded_by_name=row_name)
        if receipt.actor is not None:
            own_actor[id(record)] = receipt.actor
        if receipt.channel == ReceiptChannel.PORTAL and scanned is None:
            earlier[same_day] = record
        written.append(record)
        answer.append(record)
    if not written:
        return answer
    InvoiceDelivery.objects.bulk_create(written, batch_size=2000)
    for record in written:
        if id(record) in own_actor:
            audit_record(actor=own_actor[id(record)], action=AuditAction.INVOICE_RECEIPT_CONFIRMED, subject=record,
                         after=delivery_snapshot(record))
    events = [BatchEvent(action=AuditAction.INVOICE_DELIVERY_RECORDED if record.kind == DeliveryKind.DELIVERY
                         else AuditAction.INVOICE_RECEIPT_CONFIRMED, subject=record, after=delivery_snapshot(record))
              for record in written if id(record) not in own_actor]
    if events:
        batch_audit = audit_batch_open(actor=actor, source=source or "invoice deliveries and receipts")
        audit_batch_append(batch_audit, events)
        audit_batch_anchor(batch_audit)
    return answer


def _portal_receipts(invoice_ids: list[int]) -> dict[tuple[int, int | None, date], InvoiceDelivery]:
    """The portal confirmations of ``invoice_ids`` already recorded, the first of each (invoice, contact, day): what
    ``invoice_receipt_confirm`` returns instead of recording a second one."""
    found: dict[tuple[int, int | None, date], InvoiceDelivery] = {}
    for start in range(0, len(invoice_ids), _CHUNK):
        for row in InvoiceDelivery.objects.filter(invoice_id__in=invoice_ids[start:start + _CHUNK],
                                                  kind=DeliveryKind.RECEIPT, channel=ReceiptChannel.PORTAL,
                                                  ).order_by("pk"):
            found.setdefault((row.invoice_id, row.contact_id, row.occurred_on), row)
    return found


#: at most this many addresses on one invoice e-mail
MAX_RECIPIENTS = 10


def _addresses(to: str | Sequence[str]) -> list[str]:
    items = [to] if isinstance(to, str) else list(to)
    found = [part.strip() for item in items for part in re.split(r"[,;\s]+", item or "") if part.strip()]
    if not found:
        raise ValidationFailed(_("Give the e-mail address to send the invoice to."), field="to")
    if len(found) > MAX_RECIPIENTS:
        raise ValidationFailed(_("At most %(limit)s addresses.") % {"limit": MAX_RECIPIENTS}, field="to")
    for address in found:
        try:
            validate_email(address)
        except DjangoValidationError as exc:
            raise ValidationFailed(_("%(value)s is not an e-mail address.") % {"value": address[:80]},
                                   field="to") from exc
    return list(dict.fromkeys(found))


def invoice_email_send(*, invoice: Invoice, actor: Any, to: str | Sequence[str], message: str = "") -> InvoiceDelivery:
    """E-mail the invoice copy (PDF attached) to ``to`` and record an e-mail delivery once the mail server has
    accepted it. A refused or unreachable server raises ``MailNotSent`` and records nothing."""
    recipients = _addresses(to)
    text = _note(message)
    _usable(invoice)
    pdf = render_invoice_pdf(invoice)
    message_id = new_message_id(f"invoice{invoice.pk}")
    subject = _("Invoice %(number)s from %(company)s") % {"number": invoice.number, "company": invoice.company.name}
    body = _("Please find attached a copy of invoice %(number)s (issued %(issued)s, due %(due)s).") % {
        "number": invoice.number, "issued": invoice.issue_date.isoformat(), "due": invoice.due_date.isoformat()}
    if text:
        body = f"{text}\n\n{body}"
    mail = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients,
                        headers={"Message-ID": message_id})
    filename = invoice_pdf_filename(invoice)
    mail.attach(filename, pdf, "application/pdf")
    try:
        mail.send(fail_silently=False)
    except OSError as exc:  # smtplib's errors are OSErrors, as are refused connections
        log.warning("invoice %s e-mail to %s failed: %s", invoice.number, recipients, exc)
        raise MailNotSent(_("The mail server did not accept the message (%(error)s); nothing was recorded.")
                          % {"error": type(exc).__name__}, field="to") from exc
    with transaction.atomic():
        delivery = invoice_delivery_record(
            invoice=invoice, actor=actor, channel=DeliveryChannel.EMAIL,
            recipient=", ".join(recipients)[:MAX_RECIPIENT],
            note=_("Sent from ARMS, Message-ID %(id)s") % {"id": message_id},
        )
        audit_record(actor=actor, action=AuditAction.INVOICE_EMAILED, subject=delivery,
                     after={"invoice": invoice.number, "to": recipients, "message_id": message_id, "file": filename,
                            "sha256": hashlib.sha256(pdf).hexdigest()})
    return delivery
