"""Pages of collection plans at /collection-plans/: the plans (filters, paging, export), drafting one from a
contract's schedule or a customer's open invoices, a plan with its lines and tracking, editing a draft's lines,
submit, approve / return, cancel / close; and the variance per salesperson of a month."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arms.collectionplans import exports, selectors, services
from arms.collectionplans.forms import (
    DecisionForm,
    EndForm,
    FilterForm,
    FromContractForm,
    FromCustomerForm,
    LinesForm,
    VarianceForm,
)
from arms.common.errors import ArmsError, NotFound
from arms.contracts.models import Contract
from arms.customers.selectors import customers_visible_to
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate

VIEW = "collectionplans.view_collectionplan"
DRAFT = "collectionplans.add_collectionplan"
CHANGE = "collectionplans.change_collectionplan"
APPROVE = services.APPROVE


@login_required
@permission_required(VIEW, raise_exception=True)
def plan_list(request):
    filter_form = FilterForm(request.GET or None)
    rows = selectors.collection_plan_list(user=request.user, **filter_form.filters())
    if export_format(request):
        return export_response(request, f"collection-plans-{timezone.localdate():%Y%m%d}", exports.plan_table(rows))
    return render(request, "collectionplans/list.html", {
        "page": paginate(request, rows), "filter_form": filter_form, "can_draft": request.user.has_perm(DRAFT)})


def _plan(request, plan_id: int):
    try:
        return selectors.collection_plan_get(user=request.user, plan_id=plan_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@permission_required(DRAFT, raise_exception=True)
def plan_create(request):
    visible = customers_visible_to(request.user)
    contract_form = FromContractForm(request.POST if request.POST.get("source") == "contract" else None,
                                     initial={"contract": request.GET.get("contract", "")})
    customer_form = FromCustomerForm(request.POST if request.POST.get("source") == "customer" else None,
                                     initial={"code": request.GET.get("customer", "")})
    if request.method == "POST" and contract_form.is_bound and contract_form.is_valid():
        contract = Contract.objects.filter(customer__in=visible,
                                           number=contract_form.cleaned_data["contract"].strip()).first()
        if contract is None:
            contract_form.add_error("contract", _("No contract of your customers has this number."))
        elif contract_form.run_service(lambda data: services.collection_plan_draft_from_contract(
                actor=request.user, contract=contract)):
            return _drafted(request, contract_form.result)
    if request.method == "POST" and customer_form.is_bound and customer_form.is_valid():
        customer = visible.filter(code=customer_form.cleaned_data["code"].strip()).first()
        if customer is None:
            customer_form.add_error("code", _("No customer has this code."))
        elif customer_form.run_service(lambda data: services.collection_plan_draft_from_customer(
                actor=request.user, customer=customer, currency=(data["currency"] or "").upper() or None)):
            return _drafted(request, customer_form.result)
    failed = contract_form.errors or customer_form.errors
    return render(request, "collectionplans/create.html", {
        "contract_form": contract_form, "customer_form": customer_form}, status=400 if failed else 200)


def _drafted(request, plan):
    messages.success(request, _("Plan %(plan)s was drafted; check its lines, then submit it for approval.")
                     % {"plan": plan.number})
    return redirect("collectionplans:detail", plan.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def plan_detail(request, plan_id: int):
    plan = _plan(request, plan_id)
    return render(request, "collectionplans/detail.html", _detail_context(request, plan))


def _detail_context(request, plan, **forms) -> dict:
    user = request.user
    return {"plan": plan, "track": selectors.plan_track(plan, today=timezone.localdate()),
            "can_change": plan.status == "draft" and user.has_perm(CHANGE),
            "can_decide": plan.status == "submitted" and user.has_perm(APPROVE) and plan.submitted_by_id != user.pk,
            "can_cancel": plan.status in ("draft", "submitted", "approved") and (
                user.has_perm(APPROVE) or (user.has_perm(CHANGE) and plan.status != "approved")),
            "can_close": plan.status == "approved" and user.has_perm(APPROVE),
            "decision_form": forms.get("decision_form") or DecisionForm(),
            "end_form": forms.get("end_form") or EndForm()}


@login_required
@permission_required(CHANGE, raise_exception=True)
def plan_lines(request, plan_id: int):
    plan = _plan(request, plan_id)
    if not plan.editable:
        messages.error(request, _("Only a draft plan can be changed."))
        return redirect("collectionplans:detail", plan.pk)
    form = LinesForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        lines = form.lines()
        if not form.errors and form.run_service(lambda data: services.collection_plan_lines_set(
                actor=request.user, plan=plan, lines=lines, note=data["note"])):
            messages.success(request, _("The lines were saved."))
            return redirect("collectionplans:detail", plan.pk)
    return render(request, "collectionplans/lines.html", {"plan": plan, "form": form},
                  status=400 if form.errors else 200)


def _act(request, plan_id: int, call, done: str, form_class=None, form_name: str = ""):
    plan = _plan(request, plan_id)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return render(request, "collectionplans/detail.html", _detail_context(request, plan, **{form_name: form}),
                      status=400)
    try:
        call(plan, form.cleaned_data if form is not None else {})
    except ArmsError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect("collectionplans:detail", plan.pk)
        form.add_service_error(error)
        return render(request, "collectionplans/detail.html", _detail_context(request, plan, **{form_name: form}),
                      status=error.status if error.status < 500 else 400)
    messages.success(request, done)
    return redirect("collectionplans:detail", plan.pk)


@require_POST
@login_required
@permission_required(CHANGE, raise_exception=True)
def plan_submit(request, plan_id: int):
    return _act(request, plan_id, lambda plan, data: services.collection_plan_submit(actor=request.user, plan=plan),
                _("The plan was submitted; the finance managers are told."))


@require_POST
@login_required
@permission_required(APPROVE, raise_exception=True)
def plan_approve(request, plan_id: int):
    return _act(request, plan_id, lambda plan, data: services.collection_plan_approve(
        actor=request.user, plan=plan, comment=data["comment"]), _("The plan was approved."), DecisionForm,
                "decision_form")


@require_POST
@login_required
@permission_required(APPROVE, raise_exception=True)
def plan_return(request, plan_id: int):
    return _act(request, plan_id, lambda plan, data: services.collection_plan_return(
        actor=request.user, plan=plan, comment=data["comment"]), _("The plan was returned to its owner."),
                DecisionForm, "decision_form")


@require_POST
@login_required
@permission_required(CHANGE, raise_exception=True)
def plan_cancel(request, plan_id: int):
    return _act(request, plan_id, lambda plan, data: services.collection_plan_cancel(
        actor=request.user, plan=plan, reason=data["reason"]), _("The plan was cancelled."), EndForm, "end_form")


@require_POST
@login_required
@permission_required(APPROVE, raise_exception=True)
def plan_close(request, plan_id: int):
    return _act(request, plan_id, lambda plan, data: services.collection_plan_close(
        actor=request.user, plan=plan, reason=data["reason"]), _("The plan was closed."), EndForm, "end_form")


@login_required
@permission_required(VIEW, raise_exception=True)
def variance(request):
    form = VarianceForm(request.GET or None)
    month, owner_id = form.values()
    today = timezone.localdate()
    rows = selectors.variance_by_owner(user=request.user, month=month, today=today, owner_id=owner_id)
    if export_format(request):
        return export_response(request, f"collection-plan-variance-{month:%Y%m}", exports.variance_table(rows, month))
    return render(request, "collectionplans/variance.html", {
        "form": form, "month": month, "page": paginate(request, rows)}, status=400 if form.errors else 200)
