"""/api/v1 invoice delivery proof: an invoice's deliveries and receipt confirmation, its PDF copy, sending it by
e-mail, a bulk delivery (one envelope), and the invoices not yet delivered or not yet confirmed.

Invoices are found through the viewer's visibility (another salesperson's customer is 404); each endpoint calls
one service of ``arms.ledger.services.deliveries``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from arms.common.access import require_perm
from arms.common.errors import NotFound, ValidationFailed
from arms.common.files import file_response
from arms.common.pagination import PageParams, paginate
from arms.customers.models import Contact
from arms.ledger import selectors
from arms.ledger.documents import invoice_pdf_filename, render_invoice_pdf
from arms.ledger.models import InvoiceDelivery
from arms.ledger.schemas import (
    DeliveryBulkIn,
    DeliveryBulkOut,
    DeliveryOutstandingFilters,
    DeliveryOutstandingPage,
    InvoiceDeliveriesOut,
    InvoiceDeliveryIn,
    InvoiceDeliveryOut,
    InvoiceReceiptIn,
    InvoiceSendIn,
)
from arms.ledger.services import deliveries

router = Router(tags=["ledger"])

VIEW = ("ledger.view_invoice", "ledger.view_invoicedelivery")
ADD = ("ledger.view_invoice", "ledger.add_invoicedelivery")
#: the signed receipt scan is an optional multipart file (required by the service for channel scan only)
OPTIONAL_SCAN = File(None)


def _invoice(request, invoice_id: int, field: str = "invoice_id"):
    invoice = (selectors.invoice_list(user=request.user).select_related("company").filter(pk=invoice_id).first())
    if invoice is None:
        raise NotFound(_("%(label)s %(id)s not found.") % {"label": _("Invoice"), "id": invoice_id}, field=field)
    return invoice


def _records(ids: list[int]) -> list[InvoiceDelivery]:
    return list(InvoiceDelivery.objects.filter(pk__in=ids).select_related("invoice", "scan").order_by("pk"))


def deliveries_out(invoice) -> dict:
    return {"invoice_id": invoice.pk, "status": selectors.delivery_status(invoice),
            "records": list(selectors.invoice_delivery_history(invoice).select_related("invoice"))}


@router.get("/invoices/{invoice_id}/deliveries", response=InvoiceDeliveriesOut,
            summary="An invoice's delivery state and its delivery and receipt records, newest first")
def invoice_deliveries(request, invoice_id: int):
    require_perm(request, *VIEW)
    return deliveries_out(_invoice(request, invoice_id))


@router.post("/invoices/{invoice_id}/deliveries", response={201: InvoiceDeliveryOut},
             summary="Record how the invoice was delivered (e-mail, portal, post with tracking number, hand)")
def invoice_delivery_record(request, invoice_id: int, payload: InvoiceDeliveryIn):
    require_perm(request, *ADD)
    made = deliveries.invoice_delivery_record(invoice=_invoice(request, invoice_id), actor=request.user,
                                              **payload.model_dump())
    return Status(201, _records([made.pk])[0])


@router.post("/invoices/{invoice_id}/receipt", response={201: InvoiceDeliveryOut},
             summary="Record the customer's confirmation of receipt (multipart; `scan` required for channel scan)")
def invoice_receipt(request, invoice_id: int, payload: Form[InvoiceReceiptIn],
                    scan: UploadedFile | None = OPTIONAL_SCAN):
    require_perm(request, *ADD)
    invoice = _invoice(request, invoice_id)
    contact = None
    if payload.contact_id is not None:
        contact = Contact.objects.filter(pk=payload.contact_id, customer_id=invoice.customer_id).first()
        if contact is None:
            raise ValidationFailed(_("The contact is not one of this invoice's customer's."), field="contact_id")
    made = deliveries.invoice_receipt_confirm(invoice=invoice, actor=request.user, channel=payload.channel,
                                              contact=contact, received_on=payload.received_on, note=payload.note,
                                              scan=scan)
    return Status(201, _records([made.pk])[0])


@router.get("/invoices/{invoice_id}/pdf", response={200: None}, summary="The invoice copy (应收账款通知) as PDF")
def invoice_pdf(request, invoice_id: int):
    require_perm(request, "ledger.view_invoice")
    invoice = _invoice(request, invoice_id)
    return file_response(render_invoice_pdf(invoice), filename=invoice_pdf_filename(invoice),
                         content_type="application/pdf")


@router.post("/invoices/{invoice_id}/send", response={201: InvoiceDeliveryOut},
             summary="E-mail the invoice copy (PDF attached) and record the e-mail delivery")
def invoice_send(request, invoice_id: int, payload: InvoiceSendIn):
    require_perm(request, *ADD)
    made = deliveries.invoice_email_send(invoice=_invoice(request, invoice_id), actor=request.user, to=payload.to,
                                         message=payload.message)
    return Status(201, _records([made.pk])[0])


@router.post("/deliveries/bulk", response={201: DeliveryBulkOut},
             summary="Record one delivery of several invoices (one envelope); all or none")
def deliveries_bulk(request, payload: DeliveryBulkIn):
    require_perm(request, *ADD)
    data = payload.model_dump(exclude={"invoice_ids"})
    invoices = [_invoice(request, pk, field=f"invoice_ids[{index}]") for index, pk in enumerate(payload.invoice_ids)]
    made = deliveries.invoice_deliveries_record(invoices=invoices, actor=request.user, **data)
    return Status(201, {"batch": made[0].batch, "records": _records([m.pk for m in made])})


@router.get("/deliveries/outstanding", response=DeliveryOutstandingPage,
            summary="Invoices not delivered (state=undelivered) or delivered without confirmed receipt "
                    "(state=unconfirmed), oldest first")
def deliveries_outstanding(request, filters: Query[DeliveryOutstandingFilters], page: Query[PageParams]):
    require_perm(request, *VIEW)
    data = filters.model_dump()
    data["channel"] = data["channel"] or ""
    return paginate(selectors.deliveries_outstanding(user=request.user, **data), limit=page.limit,
                    offset=page.offset)
