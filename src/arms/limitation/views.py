"""Pages of limitation periods at /limitation/: the claims by expiry (the expiry report, exportable), one claim's
limitation chain with the form to record an interruption, a customer's claims, the evidence files, the settings.
Each view checks the permission, calls one selector or service, renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from arms.common.errors import NotFound
from arms.common.files import file_response
from arms.common.jobs import jobs_for_page
from arms.common.uploads import upload_check
from arms.customers.selectors import company_default
from arms.ledger.models import Invoice
from arms.limitation import exports, selectors
from arms.limitation.enums import Status
from arms.limitation.forms import RecordForm, SettingsForm
from arms.limitation.jobs import REFRESH, refresh_job_start
from arms.limitation.services import (
    interruption_record_for_customer,
    limitation_settings_for,
    limitation_settings_update,
)
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate

VIEW = "limitation.view_limitationclock"
RECORD = "limitation.add_limitationinterruption"
SETTINGS = "limitation.change_limitationsettings"
#: the "expiring within" choices of the list, in days
WITHIN = (30, 90, 180, 365)


def _company():
    company = company_default()
    if company is None:
        raise Http404("no company")
    return company


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 10 else None


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def claim_list(request):
    status = request.GET.get("status", "open")
    status = status if status in selectors.LIST_FILTERS else "open"
    within = _int(request.GET.get("within"))
    within = within if within in WITHIN else None
    collector_id, customer_id = _int(request.GET.get("collector")), _int(request.GET.get("customer"))
    search = request.GET.get("search", "")[:200]
    claims = selectors.claim_list(user=request.user, status=status, within_days=within, collector_id=collector_id,
                                  customer_id=customer_id, search=search)
    if export_format(request):
        return export_response(request, f"limitation-{timezone.localdate():%Y%m%d}", exports.claim_table(claims))
    statuses = [("open", _("Still owed")), ("expiring", Status.EXPIRING.label), ("expired", Status.EXPIRED.label),
                ("running", Status.RUNNING.label), ("stopped", Status.STOPPED.label), ("all", _("All"))]
    return render(request, "limitation/list.html", {
        "page": paginate(request, claims), "status": status, "statuses": statuses, "within": within,
        "withins": WITHIN, "collector_id": collector_id, "collectors": selectors.collectors(), "search": search,
        "customer_id": customer_id or "", "today": timezone.localdate(),
        "jobs": jobs_for_page(user=request.user, kind=REFRESH, limit=3)})


@require_POST
@login_required
@permission_required(RECORD, raise_exception=True)
def refresh(request):
    _job, created = refresh_job_start(company=_company(), actor=request.user)
    messages.info(request, _("The limitation periods are being refreshed in the background.") if created
                  else _("A refresh is already running."))
    return redirect("limitation:list")


def _invoice(request, invoice_id: int) -> Invoice:
    try:
        return selectors.claim_get(user=request.user, invoice_id=invoice_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _claim_page(request, invoice: Invoice, *, form: RecordForm | None = None, status: int = 200):
    state = selectors.limitation_state(invoice)
    return render(request, "limitation/claim.html", {
        "invoice": invoice, "customer": invoice.customer, "state": state,
        "chain": selectors.interruption_chain(invoice), "clock": selectors.clock_get(invoice),
        "write_off_link": selectors.write_off_link(invoice) if state.status == Status.EXPIRED else "",
        "form": form or RecordForm(invoices=[invoice], initial={"invoice": str(invoice.pk),
                                                                "date": timezone.localdate()}),
    }, status=status)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def claim(request, invoice_id: int):
    return _claim_page(request, _invoice(request, invoice_id))


def _customer(request, customer_id: int):
    try:
        return selectors.customer_get(user=request.user, customer_id=customer_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _open_invoices(customer) -> list[Invoice]:
    return list(selectors.open_invoices(customer)[:200])


def _customer_page(request, customer, *, form: RecordForm | None = None, status: int = 200):
    claims = selectors.claim_list(user=request.user, status="all", customer_id=customer.pk)
    return render(request, "limitation/customer.html", {
        "customer": customer, "page": paginate(request, claims), "today": timezone.localdate(),
        "form": form or RecordForm(invoices=_open_invoices(customer), initial={"date": timezone.localdate()}),
    }, status=status)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def customer(request, customer_id: int):
    return _customer_page(request, _customer(request, customer_id))


@require_POST
@login_required
@permission_required(RECORD, raise_exception=True)
def record(request, customer_id: int):
    """Record an interruption on one invoice of the customer, or on all its open invoices."""
    found = _customer(request, customer_id)
    invoices = _open_invoices(found)
    chosen = _int(request.POST.get("invoice"))
    back_to = next((invoice for invoice in invoices if invoice.pk == chosen), None)
    form = RecordForm(request.POST, request.FILES, invoices=invoices)

    def save(data):
        upload_check(data.get("evidence"), field="evidence")
        file = data.get("evidence")
        return interruption_record_for_customer(
            actor=request.user, customer=found, invoice_ids=[int(data["invoice"])] if data.get("invoice") else None,
            kind=data["kind"], on=data["date"], note=data.get("note") or "",
            evidence_bytes=file.read() if file else None, evidence_name=file.name if file else "")

    if form.run_service(save):
        messages.success(request, _("The interruption was recorded; the limitation period restarts from %(day)s.")
                         % {"day": form.cleaned_data["date"].isoformat()})
        return redirect(reverse("limitation:claim", args=[back_to.pk]) if back_to else
                        reverse("limitation:customer", args=[found.pk]))
    if back_to is not None:
        return _claim_page(request, back_to, form=form, status=400)
    return _customer_page(request, found, form=form, status=400)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def evidence(request, interruption_id: int):
    try:
        row = selectors.interruption_get(user=request.user, interruption_id=interruption_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if row.evidence is None:
        raise Http404(_("No evidence file."))
    return file_response(row.evidence.content, filename=row.evidence_name or "evidence",
                         content_type=row.evidence.content_type, sha256=row.evidence.sha256)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(VIEW, raise_exception=True)
def settings_view(request):
    company = _company()
    current = limitation_settings_for(company)
    can_change = request.user.has_perm(SETTINGS)
    initial = {"period_years": current.period_years,
               "alert_days": ", ".join(str(d) for d in current.alert_days)}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied

        def save(data):
            return limitation_settings_update(company=company, actor=request.user, period_years=data["period_years"],
                                              alert_days=data["alert_days"])

        if form.run_service(save):
            messages.success(request, _("The limitation settings were saved; clocks follow at the next refresh."))
            return redirect("limitation:settings")
        return render(request, "limitation/settings.html", {"form": form, "settings": current,
                                                             "can_change": can_change}, status=400)
    return render(request, "limitation/settings.html", {"form": form, "settings": current, "can_change": can_change})
