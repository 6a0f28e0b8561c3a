"""Pages of the web UI. Each view parses its input, checks permission, calls one selector or service and
renders. Visibility comes from the selectors: another salesperson's customer, invoice or payment is a
404 here exactly as in the API.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from arms.ledger import selectors as ledger
from arms.ledger.services import approvals, payment_record
from arms.web import selectors, tables
from arms.web.exports import export_format, export_response
from arms.web.forms import (
    CustomerFilterForm,
    InvoiceFilterForm,
    PaymentFilterForm,
    PaymentForm,
    StatementForm,
)
from arms.web.manual import go, invoice_context, payment_context, told
from arms.web.manual_forms import InvoiceForm
from arms.web.paging import currency_totals, paginate
from arms.web.shortcuts import customer_or_404

RECENT_PAYMENTS = 10


@require_GET
@login_required
def home(request):
    today = timezone.localdate()
    return render(request, "web/home.html", {
        "today": today,
        "totals": selectors.home_totals(user=request.user, today=today),
        "overdue_invoices": selectors.most_overdue_invoices(user=request.user, today=today),
    })


@require_GET
@login_required
def customer_list(request):
    """The customer list; an htmx request (typing in the search box) gets only the results partial."""
    today = timezone.localdate()
    form = CustomerFilterForm(request.GET)
    customers = selectors.customer_list_with_amounts(user=request.user, today=today, **form.filters())
    if export_format(request):
        return export_response(request, f"customers-{today:%Y%m%d}", tables.customer_table(customers))
    template = "web/customer_list.html#results" if request.htmx else "web/customer_list.html"
    return render(request, template, {
        "form": form, "page": paginate(request, customers), "today": today,
        "totals": selectors.customer_totals(customers.values("pk"), today=today),
    })


def _customer_context(request, customer, *, payment_form=None, invoice_form=None) -> dict:
    today = timezone.localdate()
    can_record = request.user.has_perm("ledger.add_payment")
    can_invoice = request.user.has_perm("ledger.add_invoice")
    return {
        "customer": customer,
        "today": today,
        "balances": ledger.customer_balances(customer.pk),
        "open_items": ledger.open_items_for_customer(customer.pk),
        "payments": ledger.payment_list(user=request.user, customer_id=customer.pk)[:RECENT_PAYMENTS],
        "contracts": customer.contracts.order_by("-signed_date", "number"),
        "contacts": customer.contacts.order_by("-is_primary", "name"),
        "statement_form": StatementForm(initial=StatementForm.initial_period(today)),
        "can_record_payment": can_record,
        "payment_form": payment_form
        or (PaymentForm(initial=PaymentForm.initial_for(customer), customer=customer) if can_record else None),
        "invoice_form": invoice_form
        or (InvoiceForm(customer=customer, initial=InvoiceForm.initial_for(customer)) if can_invoice else None),
    }


@require_GET
@login_required
def customer_detail(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    return render(request, "web/customer_detail.html", _customer_context(request, customer))


@require_GET
@login_required
def customer_statement(request, customer_id: int):
    """对账单 for a period: the partial for htmx, a printable page otherwise, or an Excel/CSV download."""
    customer = customer_or_404(request.user, customer_id)
    form = StatementForm(request.GET)
    statements = None
    if form.is_valid():
        statements = ledger.customer_statement(
            customer_id=customer.pk, date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"]
        )
    offers = ledger.discount_offers(customer_id=customer.pk, today=timezone.localdate()) if form.is_valid() else []
    if statements is not None and export_format(request):
        period = form.cleaned_data
        return export_response(
            request, f"statement-{customer.code}-{period['date_from']:%Y%m%d}-{period['date_to']:%Y%m%d}",
            tables.statement_table(customer, statements, offers))
    context = {"customer": customer, "statement_form": form, "statements": statements, "discount_offers": offers}
    if request.htmx:
        return render(request, "web/customer_statement.html#statement", context)
    return render(request, "web/customer_statement.html", context, status=200 if form.is_valid() else 400)


@require_POST
@login_required
@permission_required("ledger.add_payment", raise_exception=True)
def customer_payment_record(request, customer_id: int):
    """Record a payment from the customer page; refusals are shown beside the field they concern."""
    customer = customer_or_404(request.user, customer_id)
    form = PaymentForm(request.POST, customer=customer)
    if form.run_service(lambda data: payment_record(actor=request.user, customer=customer,
                                                    **form.service_arguments())):
        messages.success(request, _("Payment %(number)s recorded.") % {"number": form.result.number})
        url = reverse("web:customer_detail", args=[customer.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if request.htmx:
        return render(request, "web/customer_detail.html#payment_form",
                      {"customer": customer, "payment_form": form, "can_record_payment": True})
    return render(request, "web/customer_detail.html", _customer_context(request, customer, payment_form=form),
                  status=400)


@require_POST
@login_required
@permission_required("ledger.add_invoice", raise_exception=True)
def customer_invoice_post(request, customer_id: int):
    """Post an invoice for the customer (above the company's amount it waits for a second person)."""
    customer = customer_or_404(request.user, customer_id)
    form = InvoiceForm(request.POST, customer=customer)
    if form.run_service(lambda data: approvals.manual_invoice(actor=request.user, customer=customer,
                                                              **form.service_arguments())):
        invoice = form.result.done
        if invoice is not None:
            messages.success(request, _("Invoice %(number)s posted.") % {"number": invoice.number})
            return go(request, reverse("web:invoice_detail", args=[invoice.pk]))
        told(request, form.result, "")
        return go(request, reverse("web:customer_detail", args=[customer.pk]))
    return render(request, "web/customer_detail.html", _customer_context(request, customer, invoice_form=form),
                  status=400)


@require_GET
@login_required
def invoice_list(request):
    today = timezone.localdate()
    form = InvoiceFilterForm(request.GET)
    invoices = ledger.with_delivery_state(ledger.invoice_list(user=request.user, **form.filters(today=today)))
    if export_format(request):
        return export_response(request, f"invoices-{today:%Y%m%d}", tables.invoice_table(invoices, today=today))
    template = "web/invoice_list.html#results" if request.htmx else "web/invoice_list.html"
    return render(request, template, {
        "form": form, "page": paginate(request, invoices), "today": today,
        "totals": currency_totals(invoices, "gross_minor", "amount_open_minor"),
    })


@require_GET
@login_required
def invoice_detail(request, invoice_id: int):
    invoice = ledger.invoice_list(user=request.user).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404(_("Invoice not found."))
    return render(request, "web/invoice_detail.html", invoice_context(request, invoice))


@require_GET
@login_required
def payment_list(request):
    form = PaymentFilterForm(request.GET)
    payments = ledger.payment_list(user=request.user, **form.filters())
    if export_format(request):
        return export_response(request, f"payments-{timezone.localdate():%Y%m%d}", tables.payment_table(payments))
    template = "web/payment_list.html#results" if request.htmx else "web/payment_list.html"
    return render(request, template, {
        "form": form, "page": paginate(request, payments),
        "totals": currency_totals(payments, "amount_minor", "amount_unallocated_minor"),
    })


@require_GET
@login_required
def payment_detail(request, payment_id: int):
    payment = ledger.payment_list(user=request.user).filter(pk=payment_id).first()
    if payment is None:
        raise Http404(_("Payment not found."))
    return render(request, "web/payment_detail.html", payment_context(request, payment))
