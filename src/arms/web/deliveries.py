"""Pages of invoice delivery proof (送达 / 签收确认): on the invoice page record a delivery, a receipt (with the
signed scan), download the PDF copy or send it by e-mail; ``/invoices/undelivered/`` lists the invoices not yet
delivered and those delivered without a confirmed receipt, with their age, and records one delivery (one
envelope) for the ticked ones.

Each view parses its form, checks the permission, calls one service of ``arms.ledger.services.deliveries`` and
redirects; a refusal is shown beside the field it names, with status 400, and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arms.common.files import file_response
from arms.common.models import Attachment
from arms.domain.money import to_decimal
from arms.ledger import selectors as ledger
from arms.ledger.documents import invoice_pdf_filename, render_invoice_pdf
from arms.ledger.enums import DeliveryChannel, DeliveryState
from arms.ledger.models import InvoiceDelivery
from arms.ledger.services import deliveries
from arms.web.delivery_forms import DeliveryForm, OutstandingFilterForm, ReceiptForm, SendForm
from arms.web.exports import AMOUNT, DATE, INT, Column, Table, export_format, export_response
from arms.web.manual import _invoice_or_404, go, invoice_context
from arms.web.paging import paginate
from arms.web.templatetags.arms_web import person

CHUNK = 2000


def _back(request, invoice, message: str):
    messages.success(request, message)
    return go(request, reverse("web:invoice_detail", args=[invoice.pk]) + "#delivery")


def _again(request, invoice, **form):
    return render(request, "web/invoice_detail.html", invoice_context(request, invoice, **form), status=400)


@require_POST
@login_required
@permission_required("ledger.add_invoicedelivery", raise_exception=True)
def invoice_delivery_record(request, invoice_id: int):
    invoice = _invoice_or_404(request.user, invoice_id)
    form = DeliveryForm(request.POST)
    if form.run_service(lambda data: deliveries.invoice_delivery_record(invoice=invoice, actor=request.user,
                                                                        **form.service_arguments())):
        return _back(request, invoice, _("Delivery recorded."))
    return _again(request, invoice, delivery_form=form)


@require_POST
@login_required
@permission_required("ledger.add_invoicedelivery", raise_exception=True)
def invoice_receipt_confirm(request, invoice_id: int):
    invoice = _invoice_or_404(request.user, invoice_id)
    form = ReceiptForm(request.POST, request.FILES, invoice=invoice)
    if form.run_service(lambda data: deliveries.invoice_receipt_confirm(invoice=invoice, actor=request.user,
                                                                        **form.service_arguments())):
        return _back(request, invoice, _("Receipt confirmation recorded."))
    return _again(request, invoice, receipt_form=form)


@require_POST
@login_required
@permission_required("ledger.add_invoicedelivery", raise_exception=True)
def invoice_send(request, invoice_id: int):
    invoice = _invoice_or_404(request.user, invoice_id)
    form = SendForm(request.POST)
    if form.run_service(lambda data: deliveries.invoice_email_send(invoice=invoice, actor=request.user,
                                                                   to=data["to"], message=data["message"])):
        return _back(request, invoice, _("Invoice sent to %(to)s.") % {"to": form.result.recipient})
    return _again(request, invoice, send_form=form)


@require_GET
@login_required
def invoice_pdf(request, invoice_id: int):
    invoice = _invoice_or_404(request.user, invoice_id)
    return file_response(render_invoice_pdf(invoice), filename=invoice_pdf_filename(invoice),
                         content_type="application/pdf")


@require_GET
@login_required
@permission_required("ledger.view_invoicedelivery", raise_exception=True)
def delivery_scan(request, delivery_id: int):
    """The signed receipt scan of a receipt record, as a download (never shown inline)."""
    delivery = (InvoiceDelivery.objects.filter(pk=delivery_id, scan__isnull=False,
                                               invoice__in=ledger.invoice_list(user=request.user)).first())
    if delivery is None:
        raise Http404(_("Scan not found."))
    scan = Attachment.objects.get(pk=delivery.scan_id)
    return file_response(scan.content, filename=delivery.scan_name, content_type=scan.content_type,
                         sha256=scan.sha256)


def outstanding_table(invoices, *, today, state: str) -> Table:
    columns = [Column(_("Invoice")), Column(_("VAT invoice number")), Column(_("Customer code")),
               Column(_("Customer"), width=32), Column(_("Salesperson")), Column(_("Issue date"), DATE),
               Column(_("Due date"), DATE), Column(_("Delivered on"), DATE), Column(_("Delivered by")),
               Column(_("Age (days)"), INT), Column(_("Currency")), Column(_("Gross amount"), AMOUNT),
               Column(_("Open amount"), AMOUNT)]
    rows = ([inv.number, inv.vat_invoice_number, inv.customer.code, inv.customer.name,
             person(inv.customer.salesperson) if inv.customer.salesperson_id else "", inv.issue_date, inv.due_date,
             inv.delivered_on, str(DeliveryChannel(inv.delivered_channel).label) if inv.delivered_channel else "",
             (today - (inv.delivered_on or inv.issue_date)).days, inv.currency,
             to_decimal(inv.gross_minor, inv.currency), to_decimal(inv.amount_open_minor, inv.currency)]
            for inv in invoices.iterator(chunk_size=CHUNK))
    title = _("Invoices not delivered") if state == "undelivered" else _("Invoices without confirmed receipt")
    return Table(title, columns, rows)


def _outstanding(request, form: OutstandingFilterForm):
    filters = form.filters()
    return filters["state"], ledger.deliveries_outstanding(user=request.user, **filters)


def _outstanding_page(request, *, bulk_form: DeliveryForm | None = None, status: int = 200):
    today = timezone.localdate()
    form = OutstandingFilterForm(request.GET)
    filters = form.filters()
    state = filters["state"]
    invoices = ledger.deliveries_outstanding(user=request.user, **filters)
    can_record = request.user.has_perm("ledger.add_invoicedelivery")
    template = "web/delivery_outstanding.html#results" if request.htmx and status == 200 \
        else "web/delivery_outstanding.html"
    return render(request, template, {
        "form": form, "state": state, "page": paginate(request, invoices), "today": today,
        "bulk_form": bulk_form or (DeliveryForm(initial=DeliveryForm.initial_values()) if can_record else None),
        "undelivered": state == DeliveryState.UNDELIVERED,
    }, status=status)


@require_GET
@login_required
@permission_required("ledger.view_invoicedelivery", raise_exception=True)
def delivery_outstanding(request):
    """/invoices/undelivered/: the invoices not delivered, or delivered without a confirmed receipt; oldest first."""
    if export_format(request):
        today = timezone.localdate()
        filters = OutstandingFilterForm(request.GET).filters()
        invoices = ledger.deliveries_outstanding(user=request.user, **filters)
        return export_response(request, f"invoices-{filters['state']}-{today:%Y%m%d}",
                               outstanding_table(invoices, today=today, state=filters["state"]))
    return _outstanding_page(request)


@require_POST
@login_required
@permission_required("ledger.add_invoicedelivery", raise_exception=True)
def delivery_bulk(request):
    """Record one delivery (one envelope) for the invoices ticked on /invoices/undelivered/."""
    form = DeliveryForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("invoice") if v.isdigit() and len(v) < 19]
    found = {inv.pk: inv for inv in ledger.invoice_list(user=request.user).filter(pk__in=ids)}
    invoices = [found[pk] for pk in dict.fromkeys(ids) if pk in found]
    if not invoices:
        form.is_valid()
        form.add_error(None, _("Tick at least one invoice."))
    elif form.run_service(lambda data: deliveries.invoice_deliveries_record(
            invoices=invoices, actor=request.user, **form.service_arguments())):
        messages.success(request, _("Delivery recorded for %(count)s invoices.") % {"count": len(invoices)})
        query = request.GET.urlencode()
        return go(request, reverse("web:delivery_outstanding") + (f"?{query}" if query else ""))
    return _outstanding_page(request, bulk_form=form, status=400)
