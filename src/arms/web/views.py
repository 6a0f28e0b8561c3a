"""Pages of the web UI. Each view parses its input, checks permission, calls one selector or service and
renders. Visibility comes from the selectors: another salesperson's customer, invoice or payment is a
404 here exactly as in the API.
"""

from __future__ import annotations

import csv
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from arms.common.errors import ArmsError
from arms.domain.money import to_decimal
from arms.ledger import selectors as ledger
from arms.ledger.enums import entry_kind_label, statement_description
from arms.ledger.services import payment_record
from arms.web import selectors
from arms.web.forms import (
    CustomerFilterForm,
    InvoiceFilterForm,
    PaymentFilterForm,
    PaymentForm,
    StatementForm,
)
from arms.web.shortcuts import customer_or_404

PAGE_SIZE = 25
RECENT_PAYMENTS = 10


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))




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
    page = _page(request, selectors.customer_list_with_amounts(user=request.user, today=today, **form.filters()))
    template = "web/customer_list.html#results" if request.htmx else "web/customer_list.html"
    return render(request, template, {"form": form, "page": page, "today": today})


def _customer_context(request, customer, *, payment_form=None) -> dict:
    today = timezone.localdate()
    can_record = request.user.has_perm("ledger.add_payment")
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
        or (PaymentForm(initial=PaymentForm.initial_for(customer)) if can_record else None),
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
        export = request.GET.get("export")
        if export == "xlsx":
            return _statement_xlsx(customer, form.cleaned_data, statements)
        if export == "csv":
            return _statement_csv(customer, form.cleaned_data, statements)
    context = {"customer": customer, "statement_form": form, "statements": statements}
    if request.htmx:
        return render(request, "web/customer_statement.html#statement", context)
    return render(request, "web/customer_statement.html", context, status=200 if form.is_valid() else 400)


def _statement_rows(statements):
    """Rows of a statement export: a header, then per currency the opening, movements and closing."""
    yield [_("Currency"), _("Date"), _("Type"), _("Number"), _("Description"), _("Debit"), _("Credit"), _("Balance")]
    for statement in statements:
        cur = statement.currency
        yield [cur, statement.date_from, _("Opening balance"), "", "", None, None,
               to_decimal(statement.opening_minor, cur)]
        for line in statement.lines:
            yield [cur, line.date, entry_kind_label(line.kind), line.number, statement_description(line.description),
                   to_decimal(line.debit_minor, cur) if line.debit_minor else None,
                   to_decimal(line.credit_minor, cur) if line.credit_minor else None,
                   to_decimal(line.balance_minor, cur)]
        yield [cur, statement.date_to, _("Closing balance"), "", "", to_decimal(statement.debit_total_minor, cur),
               to_decimal(statement.credit_total_minor, cur), to_decimal(statement.closing_minor, cur)]


def _statement_filename(customer, period: dict, extension: str) -> str:
    return f"statement-{customer.code}-{period['date_from']:%Y%m%d}-{period['date_to']:%Y%m%d}.{extension}"


def _statement_csv(customer, period: dict, statements) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_statement_filename(customer, period, "csv")}"'
    response.write("\ufeff")  # a byte-order mark, so Excel on Chinese Windows reads UTF-8
    writer = csv.writer(response)
    writer.writerow([customer.code, customer.name])
    for row in _statement_rows(statements):
        writer.writerow(["" if value is None else value for value in row])
    return response


def _statement_xlsx(customer, period: dict, statements) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Statement")
    sheet.append([_("Statement of account"), customer.code, customer.name])
    sheet["A1"].font = Font(bold=True)
    for index, row in enumerate(_statement_rows(statements)):
        sheet.append(row)
        if index == 0:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (8, 12, 12, 20, 36, 16, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3, min_col=6, max_col=8):
        for cell in row:
            cell.number_format = "#,##0.00"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_statement_filename(customer, period, "xlsx")}"'
    return response


@require_POST
@login_required
@permission_required("ledger.add_payment", raise_exception=True)
def customer_payment_record(request, customer_id: int):
    """Record a payment from the customer page; refusals are shown beside the field they concern."""
    customer = customer_or_404(request.user, customer_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = payment_record(actor=request.user, customer=customer, **form.service_arguments())
        except ArmsError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Payment %(number)s recorded.") % {"number": payment.number})
            url = reverse("web:customer_detail", args=[customer.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if request.htmx:
        return render(request, "web/customer_detail.html#payment_form",
                      {"customer": customer, "payment_form": form, "can_record_payment": True})
    return render(request, "web/customer_detail.html", _customer_context(request, customer, payment_form=form),
                  status=400)


@require_GET
@login_required
def invoice_list(request):
    today = timezone.localdate()
    form = InvoiceFilterForm(request.GET)
    page = _page(request, ledger.invoice_list(user=request.user, **form.filters(today=today)))
    template = "web/invoice_list.html#results" if request.htmx else "web/invoice_list.html"
    return render(request, template, {"form": form, "page": page, "today": today})


@require_GET
@login_required
def invoice_detail(request, invoice_id: int):
    invoice = ledger.invoice_list(user=request.user).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404(_("Invoice not found."))
    return render(request, "web/invoice_detail.html", {
        "invoice": invoice,
        "today": timezone.localdate(),
        "allocations": ledger.allocation_list(user=request.user, invoice_id=invoice.pk),
        "credit_notes": invoice.credit_notes.order_by("date", "id"),
    })


@require_GET
@login_required
def payment_list(request):
    form = PaymentFilterForm(request.GET)
    page = _page(request, ledger.payment_list(user=request.user, **form.filters()))
    template = "web/payment_list.html#results" if request.htmx else "web/payment_list.html"
    return render(request, template, {"form": form, "page": page})


@require_GET
@login_required
def payment_detail(request, payment_id: int):
    payment = ledger.payment_list(user=request.user).filter(pk=payment_id).first()
    if payment is None:
        raise Http404(_("Payment not found."))
    return render(request, "web/payment_detail.html", {
        "payment": payment,
        "allocations": ledger.allocation_list(user=request.user, payment_id=payment.pk),
    })
