"""Pages at /credit/holds/: credit holds (list, place, release), credit overrides (list, request, approve,
reject), a customer's exposure, and the credit check as a form. Each view checks the permission, calls one
selector or service and renders; a service's refusal is shown beside the field it names."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from arms.common.errors import ArmsError
from arms.customers.selectors import company_default, customers_visible_to
from arms.domain.money import format_amount
from arms.exposure import exports, selectors, services
from arms.exposure.forms import (
    CheckForm,
    CreditSettingsForm,
    DecisionForm,
    HoldFilterForm,
    HoldPlaceForm,
    OverrideFilterForm,
    OverrideRequestForm,
    ReleaseForm,
)
from arms.exposure.models import OverrideStatus
from arms.web.exports import export_format, export_response
from arms.web.paging import currency_totals, paginate
from arms.web.shortcuts import customer_or_404, safe_next

# ---------------------------------------------------------------- holds


def _filtered_holds(request):
    form = HoldFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    state = data.get("state") or "active"
    qs = selectors.hold_list(user=request.user, active={"active": True, "released": False}.get(state),
                             reason_code=data.get("reason_code", ""))
    search = (data.get("q") or "").strip()
    if search:
        qs = qs.filter(Q(customer__code__icontains=search) | Q(customer__name__icontains=search))
    return form, qs


def _hold_list_context(request, place_form=None) -> dict:
    form, qs = _filtered_holds(request)
    can_place = request.user.has_perm("exposure.add_credithold")
    return {
        "form": form, "page": paginate(request, qs),
        "can_place": can_place, "can_release": request.user.has_perm("exposure.change_credithold"),
        "place_form": place_form or (HoldPlaceForm(user=request.user) if can_place else None),
    }


@require_GET
@login_required
@permission_required("exposure.view_credithold", raise_exception=True)
def hold_list(request):
    if export_format(request):
        _form, holds = _filtered_holds(request)
        return export_response(request, f"credit-holds-{timezone.localdate():%Y%m%d}", exports.hold_table(holds))
    template = "exposure/hold_list.html#results" if request.htmx else "exposure/hold_list.html"
    return render(request, template, _hold_list_context(request))


@require_POST
@login_required
@permission_required("exposure.add_credithold", raise_exception=True)
def hold_place(request):
    form = HoldPlaceForm(request.POST, user=request.user)
    if form.is_valid():
        customer = form.cleaned_data["customer"]
        try:
            hold = services.hold_place(customer=customer, reason_code=form.cleaned_data["reason_code"],
                                       note=form.cleaned_data["note"], actor=request.user)
        except ArmsError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Credit hold placed on %(customer)s: new documents are blocked.")
                             % {"customer": hold.customer.name})
            return redirect(safe_next(request, reverse("exposure:hold_list")))
    return render(request, "exposure/hold_list.html", _hold_list_context(request, place_form=form), status=400)


@require_POST
@login_required
@permission_required("exposure.change_credithold", raise_exception=True)
def hold_release(request, hold_id: int):
    hold = selectors.hold_list(user=request.user).filter(pk=hold_id).first()
    if hold is None:
        raise Http404(_("Credit hold not found."))
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the hold is released."))
    else:
        try:
            services.hold_release(hold=hold, actor=request.user, note=form.cleaned_data["note"])
        except ArmsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Credit hold on %(customer)s released.") % {"customer": hold.customer.name})
    return redirect(safe_next(request, reverse("exposure:hold_list")))


# ---------------------------------------------------------------- overrides


def _filtered_overrides(request):
    form = OverrideFilterForm(request.GET)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    customer_id = request.GET.get("customer")
    customer_id = int(customer_id) if customer_id and customer_id.isdigit() else None
    return form, customer_id, selectors.override_list(user=request.user, customer_id=customer_id, status=status)


def _override_list_context(request, request_form=None) -> dict:
    form, customer_id, qs = _filtered_overrides(request)
    can_request = request.user.has_perm("exposure.add_creditoverride")
    initial = {"valid_days": 7}
    if customer_id:
        customer = customers_visible_to(request.user).filter(pk=customer_id).first()
        if customer is not None:
            initial.update(customer=customer.code, currency=customer.currency)
    return {
        "form": form, "page": paginate(request, qs), "totals": currency_totals(qs, "amount_minor"),
        "customer_id": customer_id, "requested": OverrideStatus.REQUESTED,
        "can_request": can_request, "can_decide": request.user.has_perm("exposure.approve_creditoverride"),
        "request_form": request_form or (OverrideRequestForm(user=request.user, initial=initial)
                                         if can_request else None),
    }


@require_GET
@login_required
@permission_required("exposure.view_creditoverride", raise_exception=True)
def override_list(request):
    if export_format(request):
        _form, _customer_id, overrides = _filtered_overrides(request)
        return export_response(request, f"credit-overrides-{timezone.localdate():%Y%m%d}",
                               exports.override_table(overrides))
    template = "exposure/override_list.html#results" if request.htmx else "exposure/override_list.html"
    return render(request, template, _override_list_context(request))


@require_POST
@login_required
@permission_required("exposure.add_creditoverride", raise_exception=True)
def override_request(request):
    form = OverrideRequestForm(request.POST, user=request.user)
    if form.run_service(lambda data: services.override_request(
            customer=data["customer"], amount_minor=data["amount_minor"], currency=data["currency"],
            reason=data["reason"], actor=request.user, document_kind=data["document_kind"] or "",
            document_ref=data["document_ref"], valid_days=data["valid_days"], terms_days=data.get("terms_days"))):
        messages.success(request, _("Override #%(id)s requested; a credit manager will decide on it.")
                         % {"id": form.result.pk})
        return redirect(reverse("exposure:override_list"))
    return render(request, "exposure/override_list.html", _override_list_context(request, request_form=form),
                  status=400)


def _decide(request, override_id: int, *, approve: bool):
    override = selectors.override_list(user=request.user).filter(pk=override_id).first()
    if override is None:
        raise Http404(_("Credit override not found."))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("exposure:override_list"))
    try:
        if approve:
            services.override_approve(override=override, actor=request.user, note=form.cleaned_data["note"],
                                      valid_days=form.cleaned_data["valid_days"])
        else:
            services.override_reject(override=override, actor=request.user, note=form.cleaned_data["note"])
    except ArmsError as error:
        messages.error(request, error.message)
    else:
        text = _("Override #%(id)s approved.") if approve else _("Override #%(id)s rejected.")
        messages.success(request, text % {"id": override.pk})
    return redirect(safe_next(request, reverse("exposure:override_list")))


@require_POST
@login_required
@permission_required("exposure.approve_creditoverride", raise_exception=True)
def override_approve(request, override_id: int):
    return _decide(request, override_id, approve=True)


@require_POST
@login_required
@permission_required("exposure.approve_creditoverride", raise_exception=True)
def override_reject(request, override_id: int):
    return _decide(request, override_id, approve=False)


# ---------------------------------------------------------------- exposure and the check


@require_GET
@login_required
@permission_required("exposure.check_credit", raise_exception=True)
def customer_exposure(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    profile = selectors.credit_profile_of(customer)
    breakdown = selectors.exposure_breakdown(customer, profile=profile)
    return render(request, "exposure/customer.html", {
        "customer": customer, "breakdown": breakdown, "profile": profile,
        "holds": selectors.hold_list(user=request.user, customer_id=customer.pk)[:50],
        "overrides": selectors.override_list(user=request.user, customer_id=customer.pk)[:50],
        "can_release": request.user.has_perm("exposure.change_credithold"),
    })


@require_GET
@login_required
@permission_required("exposure.check_credit", raise_exception=True)
def credit_check(request):
    """The credit check as a form: what would happen to a document of this amount now (a read, no lock)."""
    form = CheckForm(request.GET or None, user=request.user,
                     initial={"currency": "CNY", "document_kind": "order"})
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.credit_check(customer=data["customer"], amount_minor=data["amount_minor"],
                                           currency=data["currency"], document_kind=data["document_kind"],
                                           user=request.user, lock=False)
        except ArmsError as error:
            form.add_service_error(error)
    context = {"form": form, "result": result}
    if request.htmx:
        return render(request, "exposure/check.html#result", context)
    return render(request, "exposure/check.html", context, status=400 if form.is_bound and not form.is_valid()
                  else 200)


# ---------------------------------------------------------------- settings


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("exposure.view_creditcontrolsettings", raise_exception=True)
def credit_settings(request):
    """The unrated policy and the guarantee expiry warning; a credit manager changes them."""
    company = company_default()
    if company is None:
        raise Http404(_("The company is not set up yet (arms setup)."))
    current = selectors.control_settings(company.pk)
    can_change = request.user.has_perm("exposure.change_creditcontrolsettings")
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = CreditSettingsForm(request.POST)
        if form.run_service(lambda data: services.control_settings_update(
                company_id=company.pk, actor=request.user, unrated_policy=data["unrated_policy"],
                unrated_limit_minor=data["unrated_limit"], guarantee_warn_days=data["guarantee_warn_days"])):
            messages.success(request, _("Credit-control settings saved."))
            return redirect(reverse("exposure:settings"))
        status = 400
    else:
        form = CreditSettingsForm(initial={"unrated_policy": current.unrated_policy,
                                           "unrated_limit": format_amount(current.unrated_limit_minor, "CNY"),
                                           "guarantee_warn_days": current.guarantee_warn_days})
    return render(request, "exposure/settings.html",
                  {"form": form, "current": current, "can_change": can_change}, status=status)
