"""Pages of early warning at /warnings/: the warning log (counts by severity, filters, export, evaluate now), a
warning with its figures and the acknowledgement, the indicators (finance managers edit them), risk signals from
the field (raise, list, acknowledge). Each view checks the permission, calls one selector or service, renders.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from arms.common.errors import NotFound
from arms.common.files import file_response
from arms.common.jobs import jobs_for_page
from arms.common.uploads import upload_check
from arms.customers.selectors import customers_visible_to
from arms.earlywarning import exports, selectors
from arms.earlywarning.enums import STANDING, Severity, SignalStatus, WarningStatus
from arms.earlywarning.forms import AcknowledgeForm, IndicatorForm, SignalAcknowledgeForm, SignalForm
from arms.earlywarning.jobs import EVALUATE, evaluate_job_start
from arms.earlywarning.labels import role_label, scope_label
from arms.earlywarning.services import (
    indicator_create,
    indicator_update,
    indicators_ensure_default,
    may_acknowledge,
    risk_signal_acknowledge,
    risk_signal_raise,
    warning_acknowledge,
)
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate

VIEW = "earlywarning.view_warning"
VIEW_INDICATORS = "earlywarning.view_indicator"
ADD_INDICATOR = "earlywarning.add_indicator"
CHANGE_INDICATOR = "earlywarning.change_indicator"
VIEW_SIGNALS = "earlywarning.view_risksignal"
ADD_SIGNAL = "earlywarning.add_risksignal"
ACK_SIGNAL = "earlywarning.acknowledge_risksignal"


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 10 else None


def _found(call: Any) -> Any:
    try:
        return call()
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def home(request):
    """The warning log: standing warnings by default, most severe first; filters; export."""
    status = request.GET.get("status", "standing")
    status = status if status in selectors.STATUS_FILTERS else "standing"
    severity = request.GET.get("severity", "")
    severity = severity if severity in Severity.values else ""
    indicator_id, customer_id = _int(request.GET.get("indicator")), _int(request.GET.get("customer"))
    warnings = selectors.warning_list(user=request.user, status=status, severity=severity,
                                      indicator_id=indicator_id, customer_id=customer_id)
    if export_format(request):
        return export_response(request, f"warnings-{timezone.localdate():%Y%m%d}", exports.warning_table(warnings))
    statuses = [("standing", _("Standing (open or acknowledged)")), *WarningStatus.choices, ("all", _("All"))]
    customer = None
    if customer_id:
        customer = customers_visible_to(request.user).filter(pk=customer_id).first()
    return render(request, "earlywarning/home.html", {
        "page": paginate(request, warnings), "status": status, "statuses": statuses, "severity": severity,
        "severities": Severity.choices, "indicator_id": indicator_id or "", "customer_id": customer_id or "",
        "customer": customer, "indicators": selectors.indicator_choices(),
        "counts": selectors.severity_counts(user=request.user),
        "jobs": jobs_for_page(user=request.user, kind=EVALUATE, limit=3)})


@require_POST
@login_required
@permission_required(CHANGE_INDICATOR, raise_exception=True)
def evaluate(request):
    _job, created = evaluate_job_start(as_of=timezone.localdate(), actor=request.user)
    messages.info(request, _("The risk indicators are being evaluated in the background.") if created
                  else _("An evaluation is already running."))
    return redirect("earlywarning:home")


def _warning_page(request, warning, *, form: AcknowledgeForm | None = None, status: int = 200):
    return render(request, "earlywarning/warning.html", {
        "warning": warning, "indicator": warning.indicator, "scope_label": scope_label(warning.indicator),
        "subject_label": selectors.warning_subject_label(warning),
        "figures_text": selectors.warning_figures_text(warning),
        "responsible_label": role_label(warning.indicator.responsible_role),
        "standing": warning.status in STANDING,
        "can_acknowledge": warning.status == WarningStatus.OPEN and may_acknowledge(request.user, warning),
        "form": form or AcknowledgeForm()}, status=status)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def warning(request, warning_id: int):
    return _warning_page(request, _found(lambda: selectors.warning_get(user=request.user, warning_id=warning_id)))


@require_POST
@login_required
@permission_required("earlywarning.acknowledge_warning", raise_exception=True)
def warning_ack(request, warning_id: int):
    found = _found(lambda: selectors.warning_get(user=request.user, warning_id=warning_id))
    form = AcknowledgeForm(request.POST)
    if form.run_service(lambda data: warning_acknowledge(warning=found, actor=request.user, note=data["note"])):
        messages.success(request, _("The warning was acknowledged."))
        return redirect("earlywarning:warning", warning_id=found.pk)
    return _warning_page(request, found, form=form, status=400)


@require_GET
@login_required
@permission_required(VIEW_INDICATORS, raise_exception=True)
def indicators(request):
    indicators_ensure_default()
    active = {"1": True, "0": False}.get(request.GET.get("active", ""))
    rows = selectors.indicator_list(active=active)
    if export_format(request):
        return export_response(request, "risk-indicators", exports.indicator_table(rows))
    return render(request, "earlywarning/indicators.html", {"page": paginate(request, rows), "active": active})


def _indicator_form_page(request, form: IndicatorForm, indicator: Any = None, *, status: int = 200):
    return render(request, "earlywarning/indicator_form.html", {"form": form, "indicator": indicator},
                  status=status)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(ADD_INDICATOR, raise_exception=True)
def indicator_new(request):
    form = IndicatorForm(request.POST or None)
    if request.method == "POST":
        if form.run_service(lambda data: indicator_create(actor=request.user, fields=form.fields_input(data))):
            messages.success(request, _("The indicator was saved; it is evaluated from the next evaluation on."))
            return redirect("earlywarning:indicators")
        return _indicator_form_page(request, form, status=400)
    return _indicator_form_page(request, form)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(VIEW_INDICATORS, raise_exception=True)
def indicator_edit(request, indicator_id: int):
    found = _found(lambda: selectors.indicator_get(indicator_id=indicator_id))
    if request.method == "POST":
        if not request.user.has_perm(CHANGE_INDICATOR):
            raise PermissionDenied
        form = IndicatorForm(request.POST)
        if form.run_service(lambda data: indicator_update(actor=request.user, indicator=found,
                                                          fields=form.fields_input(data))):
            messages.success(request, _("The indicator was saved; it is evaluated from the next evaluation on."))
            return redirect("earlywarning:indicators")
        return _indicator_form_page(request, form, found, status=400)
    return _indicator_form_page(request, IndicatorForm(initial=IndicatorForm.initial_of(found)), found)


@require_GET
@login_required
@permission_required(VIEW_SIGNALS, raise_exception=True)
def signals(request):
    status = request.GET.get("status", "")
    status = status if status in SignalStatus.values else ""
    customer_id = _int(request.GET.get("customer"))
    rows = selectors.signal_list(user=request.user, status=status, customer_id=customer_id)
    if export_format(request):
        return export_response(request, f"risk-signals-{timezone.localdate():%Y%m%d}", exports.signal_table(rows))
    return render(request, "earlywarning/signals.html", {
        "page": paginate(request, rows), "status": status, "statuses": SignalStatus.choices,
        "customer_id": customer_id or ""})


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(ADD_SIGNAL, raise_exception=True)
def signal_new(request):
    customers = selectors.customers_for_choice(user=request.user)
    now = timezone.localtime()
    initial = {"observed_on": now.date(), "observed_time": now.strftime("%H:%M"),
               "customer": _int(request.GET.get("customer"))}
    form = SignalForm(request.POST or None, request.FILES or None, customers=customers, initial=initial)
    if request.method == "POST":
        def save(data):
            upload_check(data.get("evidence"), field="evidence")
            file = data.get("evidence")
            moment = timezone.make_aware(datetime.combine(data["observed_on"], data["observed_time"]))
            customer = selectors.customer_get(user=request.user, customer_id=data["customer"])
            return risk_signal_raise(actor=request.user, customer=customer, category=data["category"],
                                     description=data["description"], observed_at=moment,
                                     evidence_bytes=file.read() if file else None,
                                     evidence_name=file.name if file else "")

        if form.run_service(save):
            messages.success(request, _("The risk signal was sent to the credit managers."))
            return redirect("earlywarning:signal", signal_id=form.result.pk)
        return render(request, "earlywarning/signal_form.html", {"form": form}, status=400)
    return render(request, "earlywarning/signal_form.html", {"form": form})


def _signal_page(request, signal, *, form: SignalAcknowledgeForm | None = None, status: int = 200):
    can_ack = (signal.status == SignalStatus.RAISED and request.user.has_perm(ACK_SIGNAL)
               and signal.raised_by_id != request.user.pk)
    return render(request, "earlywarning/signal.html", {
        "signal": signal, "can_acknowledge": can_ack, "form": form or SignalAcknowledgeForm()}, status=status)


@require_GET
@login_required
@permission_required(VIEW_SIGNALS, raise_exception=True)
def signal(request, signal_id: int):
    return _signal_page(request, _found(lambda: selectors.signal_get(user=request.user, signal_id=signal_id)))


@require_POST
@login_required
@permission_required(ACK_SIGNAL, raise_exception=True)
def signal_ack(request, signal_id: int):
    found = _found(lambda: selectors.signal_get(user=request.user, signal_id=signal_id))
    form = SignalAcknowledgeForm(request.POST)
    if form.run_service(lambda data: risk_signal_acknowledge(signal=found, actor=request.user, note=data["note"],
                                                             rerate=bool(data.get("rerate")))):
        messages.success(request, _("The risk signal was acknowledged."))
        return redirect("earlywarning:signal", signal_id=found.pk)
    return _signal_page(request, found, form=form, status=400)


@require_GET
@login_required
@permission_required(VIEW_SIGNALS, raise_exception=True)
def signal_evidence(request, signal_id: int):
    found = _found(lambda: selectors.signal_get(user=request.user, signal_id=signal_id))
    if found.evidence is None:
        raise Http404(_("No evidence file."))
    return file_response(found.evidence.content, filename=found.evidence_name or "evidence",
                         content_type=found.evidence.content_type, sha256=found.evidence.sha256)
