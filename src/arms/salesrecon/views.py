"""Pages of the monthly sales–finance reconciliation at /sales-reconciliations/: the months with each
salesperson's status (finance opens a month there), and one salesperson's month: the balances, the answer, the
differences with their owners and resolutions, the sign-off. A salesperson sees only their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arms.common.errors import NotFound
from arms.domain.money import to_decimal
from arms.salesrecon import exports, selectors, services
from arms.salesrecon.enums import DifferenceStatus, ReconStatus
from arms.salesrecon.forms import AnswerForm, AssignForm, FilterForm, OpenMonthForm, ResolveForm, SignOffForm
from arms.web.exports import AMOUNT, Column, Table, export_format, export_response
from arms.web.paging import paginate

VIEW = "salesrecon.view_salesreconciliation"
OPEN = "salesrecon.open_salesreconciliation"
ANSWER = "salesrecon.answer_salesreconciliation"
SIGN_OFF = "salesrecon.sign_off_salesreconciliation"


@login_required
@permission_required(VIEW, raise_exception=True)
def reconciliation_list(request):
    filter_form = FilterForm(request.GET or None)
    rows = selectors.sales_recon_list(user=request.user, **filter_form.filters())
    if export_format(request):
        return export_response(request, f"sales-reconciliations-{timezone.localdate():%Y%m%d}",
                               exports.reconciliation_table(rows))
    open_form = OpenMonthForm(request.POST or None) if request.user.has_perm(OPEN) else None
    if request.method == "POST":
        if open_form is None:
            raise Http404
        if open_form.run_service(lambda data: services.sales_recon_open(
                period=data["month"], actor=request.user, salesperson=data["salesperson"])):
            messages.success(request, _("%(count)s reconciliations were opened.") % {"count": len(open_form.result)})
            return redirect("salesrecon:list")
    return render(request, "salesrecon/list.html", {
        "page": paginate(request, rows), "filter_form": filter_form, "open_form": open_form},
        status=400 if open_form is not None and open_form.errors else 200)


def _reconciliation(request, reconciliation_id: int):
    try:
        return selectors.sales_recon_get(user=request.user, reconciliation_id=reconciliation_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _snapshot_table(rec) -> Table:
    columns = [Column(_("Customer code")), Column(_("Customer"), width=30), Column(_("Currency")),
               Column(_("Balance"), AMOUNT), Column(_("Balance (CNY)"), AMOUNT)]
    rows = ([r["code"], r["name"], r["currency"], to_decimal(r["balance_minor"], r["currency"]),
             to_decimal(r["balance_base_minor"])] for r in rec.snapshot)
    return Table(_("Balances at the month-end"), columns, rows)


@login_required
@permission_required(VIEW, raise_exception=True)
def reconciliation_detail(request, reconciliation_id: int):
    rec = _reconciliation(request, reconciliation_id)
    if export_format(request):
        return export_response(request, f"sales-reconciliation-{rec.period:%Y%m}-{rec.salesperson_id}",
                               _snapshot_table(rec))
    differences = list(selectors.sales_recon_differences(rec))
    is_salesperson = request.user.pk == rec.salesperson_id
    can_answer = is_salesperson and rec.status == ReconStatus.OPEN and request.user.has_perm(ANSWER)
    can_finance = request.user.has_perm(SIGN_OFF) and not is_salesperson
    customers = {r["customer_id"]: r for r in rec.snapshot}
    answer_form = AnswerForm(customers=customers.values()) if can_answer else None
    return render(request, "salesrecon/detail.html", {
        "rec": rec, "page": paginate(request, rec.snapshot), "differences": differences,
        "answer_form": answer_form, "can_finance": can_finance,
        "can_sign_off": can_finance and rec.status in (ReconStatus.AGREED, ReconStatus.DIFFERENCES),
        "sign_off_form": SignOffForm(), "assign_form": AssignForm(), "resolve_form": ResolveForm(),
        "open_differences": sum(d.status == DifferenceStatus.OPEN for d in differences)})


@require_POST
@login_required
@permission_required(ANSWER, raise_exception=True)
def reconciliation_answer(request, reconciliation_id: int):
    rec = _reconciliation(request, reconciliation_id)
    form = AnswerForm(request.POST, customers=rec.snapshot)
    agree = request.POST.get("answer") == "agree"
    differences = form.differences() if form.is_valid() and not agree else []
    if form.run_service(lambda data: services.sales_recon_answer(
            reconciliation=rec, actor=request.user, agree=agree, differences=differences, note=data["note"])):
        messages.success(request, _("Your answer was recorded."))
        return redirect("salesrecon:detail", rec.pk)
    return render(request, "salesrecon/detail.html", {
        "rec": rec, "page": paginate(request, rec.snapshot),
        "differences": list(selectors.sales_recon_differences(rec)),
        "answer_form": form, "can_finance": False, "can_sign_off": False}, status=400)


def _finance_post(request, rec, form, call, done: str):
    if form.run_service(call):
        messages.success(request, done)
    else:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("salesrecon:detail", rec.pk)


@require_POST
@login_required
@permission_required(SIGN_OFF, raise_exception=True)
def reconciliation_sign_off(request, reconciliation_id: int):
    rec = _reconciliation(request, reconciliation_id)
    return _finance_post(request, rec, SignOffForm(request.POST), lambda data: services.sales_recon_sign_off(
        reconciliation=rec, actor=request.user, note=data["note"]), _("The reconciliation was signed off."))


def _difference(request, difference_id: int):
    try:
        return selectors.sales_recon_difference_get(user=request.user, difference_id=difference_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_POST
@login_required
@permission_required(SIGN_OFF, raise_exception=True)
def difference_assign(request, difference_id: int):
    diff = _difference(request, difference_id)
    return _finance_post(request, diff.reconciliation, AssignForm(request.POST),
                         lambda data: services.sales_recon_difference_assign(difference=diff, actor=request.user,
                                                                             owner=data["owner"]),
                         _("The owner was set."))


@require_POST
@login_required
@permission_required(SIGN_OFF, raise_exception=True)
def difference_resolve(request, difference_id: int):
    diff = _difference(request, difference_id)
    return _finance_post(request, diff.reconciliation, ResolveForm(request.POST),
                         lambda data: services.sales_recon_difference_resolve(
                             difference=diff, actor=request.user, resolution=data["resolution"]),
                         _("The difference was resolved."))


