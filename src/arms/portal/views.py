"""The customer portal's pages (docs/portal.md). A contact enters with a link, then sees and acts for exactly one
customer: every view runs under ``portal_view`` (a live access in the session) and reads through
``arms.portal.selectors`` (scoped by the access's customer in the queryset).

Nothing here reads ``request.user``: a staff login in the same browser grants nothing in the portal, and a portal
session grants nothing outside it.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from arms.accounts.throttle import client_ip
from arms.audit.services import ExternalActor
from arms.cases.services.disputes import dispute_raise
from arms.cases.services.promises import promise_record
from arms.common.errors import ArmsError
from arms.common.files import file_response
from arms.common.uploads import upload_check
from arms.confirmations.documents import file_stem, render_confirmation_pdf
from arms.confirmations.enums import AWAITING_REPLY
from arms.confirmations.services import confirmation_reply
from arms.customers.portal_access import (
    contact_login_enabled,
    portal_access_enter,
    portal_access_resolve,
    portal_login,
    portal_password_set,
)
from arms.dunning.documents import file_names, stored_or_rendered
from arms.ledger.documents import render_invoice_pdf
from arms.ledger.selectors import customer_statement
from arms.portal import selectors
from arms.portal.documents import render_statement_pdf
from arms.portal.forms import (
    PortalDifferenceFormSet,
    PortalDisputeForm,
    PortalLoginForm,
    PortalPasswordForm,
    PortalPromiseForm,
    PortalReplyForm,
    RemittanceForm,
    StatementPeriodForm,
)
from arms.portal.services import portal_receipt_confirm, portal_remittance_upload, portal_text, remittances_for
from arms.portal.session import (
    LANGUAGES,
    PORTAL_LANGUAGE_KEY,
    entry_blocked,
    entry_failed,
    plain_page,
    portal_actor,
    portal_language,
    portal_logout,
    portal_session_open,
    portal_view,
)
from arms.web import tables
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate
from arms.web.shortcuts import safe_next


@require_GET
def enter(request, token: str):
    """A link's landing: a live token puts its access in the session and redirects to the portal's home (so the
    token leaves the address bar and is never sent as a Referer). Anything else gets the plain page and writes
    nothing but a failure count in the cache; too many from one address get 429."""
    if entry_blocked(request):
        return plain_page(request, 429, reason="throttled")
    access = portal_access_resolve(token)
    if access is None:
        entry_failed(request)
        return plain_page(request, 404, reason="invalid")
    portal_session_open(request, access)
    portal_access_enter(access=access, actor=ExternalActor(kind="portal", name=access.contact.name,
                                                           address=client_ip(request) or ""))
    response = HttpResponseRedirect(reverse("portal:home"))
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@require_POST
def logout(request):
    portal_logout(request)
    return plain_page(request, 200, reason="signed_out")


@require_POST
@portal_view
def language(request):
    """Switch the portal session's language (Simplified Chinese or English) and come back to the same page."""
    chosen = request.POST.get("language", "")
    if chosen in LANGUAGES:
        request.session[PORTAL_LANGUAGE_KEY] = chosen
    back = safe_next(request, "portal:home")
    return redirect(back if back.startswith("/portal/") else reverse("portal:home"))


def _context(request, **extra) -> dict:
    return {"access": request.portal, "customer": request.portal.customer, "contact": request.portal.contact,
            "languages": LANGUAGES, "contact_login": contact_login_enabled(), **extra}


@require_GET
@portal_view
def home(request):
    today = timezone.localdate()
    customer = request.portal.customer
    return render(request, "portal/home.html", _context(
        request, today=today, summary=selectors.portal_summary(customer, today=today),
        overdue=selectors.open_invoices_of(customer).filter(due_date__lt=today)[:10]))


def _default_period(today: date) -> dict:
    return {"date_from": today.replace(day=1), "date_to": today}


@require_GET
@portal_view
def statement(request):
    """对账单 for any period the contact chooses (this month by default), on screen or as Excel/CSV."""
    customer = request.portal.customer
    today = timezone.localdate()
    period = _default_period(today)
    period.update({key: request.GET[key] for key in ("date_from", "date_to") if key in request.GET})
    form = StatementPeriodForm(period)
    statements = None
    if form.is_valid():
        period = form.cleaned_data
        statements = customer_statement(customer_id=customer.pk, date_from=period["date_from"],
                                        date_to=period["date_to"])
        name = f"statement-{customer.code}-{period['date_from']:%Y%m%d}-{period['date_to']:%Y%m%d}"
        if request.GET.get("export") == "pdf":
            return file_response(render_statement_pdf(customer=customer, statements=statements, **period),
                                 filename=f"{name}.pdf", content_type="application/pdf")
        if export_format(request):
            return export_response(request, name, tables.statement_table(customer, statements))
    return render(request, "portal/statement.html", _context(request, form=form, statements=statements),
                  status=200 if form.is_valid() else 400)


@require_GET
@portal_view
def invoice_list(request):
    customer = request.portal.customer
    everything = request.GET.get("all") == "1"
    invoices = (selectors.invoices_of(customer).order_by("-issue_date", "-pk") if everything
                else selectors.open_invoices_of(customer))
    if export_format(request):
        return export_response(request, f"invoices-{customer.code}-{timezone.localdate():%Y%m%d}",
                               tables.invoice_table(invoices.select_related("customer", "contract"),
                                                    today=timezone.localdate()))
    return render(request, "portal/invoices.html", _context(
        request, page=paginate(request, invoices), everything=everything, today=timezone.localdate()))


@require_GET
@portal_view
def invoice_detail(request, invoice_id: int):
    invoice = get_object_or_404(selectors.invoices_of(request.portal.customer), pk=invoice_id)
    return render(request, "portal/invoice.html", _context(
        request, invoice=invoice, today=timezone.localdate(),
        allocations=invoice.allocations.select_related("payment", "credit_note").order_by("date", "pk"),
        disputes=selectors.disputes_of(request.portal.customer).filter(invoice=invoice)))


@require_GET
@portal_view
def payment_list(request):
    customer = request.portal.customer
    payments = selectors.payments_of(customer)
    if export_format(request):
        return export_response(request, f"payments-{customer.code}-{timezone.localdate():%Y%m%d}",
                               tables.payment_table(payments.select_related("customer")))
    return render(request, "portal/payments.html", _context(request, page=paginate(request, payments)))


@require_GET
@portal_view
def letter_list(request):
    letters = selectors.letters_of(request.portal.customer)
    return render(request, "portal/letters.html", _context(request, page=paginate(request, letters)))


@require_GET
@portal_view
def letter_pdf(request, action_id: int):
    """The letter as it was sent (the PDF stored when the dunning action was carried out, else rendered from the
    same figures, as the dunning pages do)."""
    action = get_object_or_404(selectors.letters_of(request.portal.customer), pk=action_id)
    content = stored_or_rendered(action, "letter")
    if content is None:
        raise Http404
    return file_response(content, filename=file_names(action)["letter"], content_type="application/pdf")


@require_http_methods(["GET", "POST"])
@portal_view
def dispute(request):
    """Dispute (part of) an invoice: it opens a dispute in collections with its working-day deadline."""
    customer = request.portal.customer
    open_items = list(selectors.open_invoices_of(customer))
    initial = {"invoice": request.GET.get("invoice", "")}
    form = PortalDisputeForm(request.POST or None, invoices=open_items, initial=initial)
    if request.method == "POST" and form.run_service(lambda data: dispute_raise(
            invoice=data["invoice_obj"], amount_minor=data["amount_minor"], reason_code=data["reason_code"],
            description=portal_text(request.portal, data["description"]), actor=portal_actor(request))):
        messages.success(request, _("Thank you: your dispute on %(invoice)s was passed on; we answer by %(date)s.")
                         % {"invoice": form.result.invoice.number, "date": form.result.sla_due_on.isoformat()})
        return redirect("portal:dispute")
    return render(request, "portal/dispute.html", _context(
        request, form=form, disputes=selectors.disputes_of(customer)),
        status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@portal_view
def promise(request):
    """Say when the customer will pay (a promise to pay, followed up by the collector)."""
    customer = request.portal.customer
    open_items = list(selectors.open_invoices_of(customer))
    form = PortalPromiseForm(request.POST or None, invoices=open_items, currency=customer.currency)
    if request.method == "POST" and form.run_service(lambda data: promise_record(
            customer=customer, amount_minor=data["amount_minor"], promised_on=data["promised_on"],
            invoices=data["invoice_objs"], currency=data["currency"], contact_name=request.portal.contact.name,
            note=portal_text(request.portal, data["note"]), actor=portal_actor(request))):
        messages.success(request, _("Thank you: your promise to pay by %(date)s is recorded.")
                         % {"date": form.result.promised_on.isoformat()})
        return redirect("portal:promise")
    return render(request, "portal/promise.html", _context(
        request, form=form, promises=selectors.promises_of(customer)),
        status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@portal_view
def remittance(request):
    """Hand in a remittance advice (水单, payment list): kept on the history, a task for the collector."""
    form = RemittanceForm(request.POST or None, request.FILES or None)

    def upload(data):
        upload_check(data["file"], field="file")
        return portal_remittance_upload(access=request.portal, actor=portal_actor(request),
                                        file_name=data["file"].name, content=data["file"].read(), note=data["note"])

    if request.method == "POST" and form.run_service(upload):
        messages.success(request, _("Thank you: your remittance advice %(name)s was received.")
                         % {"name": form.result.attachment_name})
        return redirect("portal:remittance")
    return render(request, "portal/remittance.html", _context(
        request, form=form, remittances=remittances_for(request.portal)),
        status=400 if request.method == "POST" else 200)


@require_POST
@portal_view
def invoice_receipt(request, invoice_id: int):
    """The contact confirms they received the invoice (签收确认 through the portal)."""
    invoice = get_object_or_404(selectors.invoices_of(request.portal.customer), pk=invoice_id)
    try:
        portal_receipt_confirm(access=request.portal, actor=portal_actor(request), invoice=invoice)
    except ArmsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: the receipt of invoice %(number)s is confirmed.")
                         % {"number": invoice.number})
    return redirect("portal:invoice", invoice.pk)


@require_GET
@portal_view
def invoice_pdf(request, invoice_id: int):
    """A copy of the invoice as PDF."""
    invoice = get_object_or_404(selectors.invoices_of(request.portal.customer), pk=invoice_id)
    return file_response(render_invoice_pdf(invoice), filename=f"{invoice.number}.pdf",
                         content_type="application/pdf")


@require_GET
@portal_view
def confirmation_list(request):
    confirmations = selectors.confirmations_of(request.portal.customer)
    return render(request, "portal/confirmations.html", _context(request, page=paginate(request, confirmations)))


def _reply_forms(request, confirmation, data=None):
    invoices = list(selectors.invoices_of(request.portal.customer).filter(
        pk__in=[item["invoice_id"] for item in confirmation.snapshot_data.get("open_items", [])]
        + list(selectors.open_invoices_of(request.portal.customer).values_list("pk", flat=True)))
        .order_by("due_date", "pk"))
    form = PortalReplyForm(data)
    differences = PortalDifferenceFormSet(data, prefix="diff",
                                          form_kwargs={"invoices": invoices, "currency": confirmation.currency})
    return form, differences


@require_http_methods(["GET", "POST"])
@portal_view
def confirmation_detail(request, confirmation_id: int):
    """One balance confirmation: its figures as sent, the letter PDF, and the reply slip."""
    confirmation = get_object_or_404(selectors.confirmations_of(request.portal.customer), pk=confirmation_id)
    data = request.POST if request.method == "POST" else None
    form, differences = _reply_forms(request, confirmation, data)
    if request.method == "POST" and form.is_valid() and differences.is_valid():
        rows = [row for row in (f.difference() for f in differences.forms) if row is not None]
        if all(f.is_valid() for f in differences.forms):
            def reply(cleaned):
                return confirmation_reply(
                    confirmation=confirmation, actor=portal_actor(request), answer=cleaned["answer"],
                    channel="portal", differences=rows if cleaned["answer"] == "disputed" else (),
                    note=cleaned["note"], contact=request.portal.contact)

            if form.run_service(reply):
                messages.success(request, _("Thank you: your answer to the balance confirmation is recorded."))
                return redirect("portal:confirmation", confirmation.pk)
    return render(request, "portal/confirmation.html", _context(
        request, confirmation=confirmation, data=confirmation.snapshot_data, form=form, differences=differences,
        awaiting=confirmation.status in AWAITING_REPLY,
        open_differences=confirmation.differences.order_by("pk")), status=400 if request.method == "POST" else 200)


@require_GET
@portal_view
def confirmation_pdf(request, confirmation_id: int):
    confirmation = get_object_or_404(selectors.confirmations_of(request.portal.customer), pk=confirmation_id)
    return file_response(render_confirmation_pdf(confirmation), filename=f"{file_stem(confirmation)}.pdf",
                         content_type="application/pdf")


@require_http_methods(["GET", "POST"])
@portal_view
def password(request):
    """Set a password to log in without a link next time (only where the company lets contacts log in)."""
    if not contact_login_enabled():
        raise Http404
    form = PortalPasswordForm(request.POST or None)
    if request.method == "POST" and form.run_service(lambda data: portal_password_set(
            access=request.portal, actor=portal_actor(request), password=data["password"])):
        messages.success(request, _("Your password is set: next time log in with your e-mail address."))
        return redirect("portal:home")
    return render(request, "portal/password.html", _context(request, form=form),
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def login(request):
    """A contact's login with their e-mail address and password (only where the company lets contacts log in);
    failures count against the address like bad links do."""
    if not contact_login_enabled():
        raise Http404
    translation.activate(portal_language(request))
    if entry_blocked(request):
        return plain_page(request, 429, reason="throttled")
    form = PortalLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        access = portal_login(email=form.cleaned_data["email"], password=form.cleaned_data["password"],
                              address=client_ip(request) or "")
        if access is not None:
            portal_session_open(request, access)
            return redirect("portal:home")
        entry_failed(request)
        form.add_error(None, _("The e-mail address or the password is not right."))
    return render(request, "portal/login.html", {"form": form}, status=400 if request.method == "POST" else 200)
