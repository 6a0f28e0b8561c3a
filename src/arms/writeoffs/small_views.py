"""Pages of small balances (小额尾差) under /write-offs/small-balances/: the residues (ticked or all, asked to be
written off in one batch), the batches with their approval, and the thresholds and account (a finance manager).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arms.customers.services import company_ensure
from arms.ledger.models import SmallBalanceBatch
from arms.ledger.models.small_balance import SMALL_BALANCE_DEFAULT_MINOR, BatchStatus, SmallBalanceAccount
from arms.ledger.small_balances import batch_list, small_balance_account, small_balance_thresholds
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate
from arms.writeoffs import small_exports, small_selectors, small_services
from arms.writeoffs.small_forms import AccountForm, BatchRequestForm, DecisionForm, ThresholdForm

VIEW = "ledger.view_smallbalancebatch"
REQUEST = small_services.REQUEST_PERMISSION
APPROVE = small_services.APPROVE_PERMISSION
SETTINGS = "ledger.change_smallbalancethreshold"


@login_required
@permission_required(VIEW, raise_exception=True)
def small_balances(request):
    """The residues, oldest due first; tick some (or all) and ask for them to be written off."""
    rows = small_selectors.residue_list(user=request.user)
    if export_format(request):
        return export_response(request, f"small-balances-{timezone.localdate():%Y%m%d}",
                               small_exports.residue_table(rows))
    form = BatchRequestForm(request.POST or None) if request.user.has_perm(REQUEST) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.run_service(lambda data: small_services.small_balance_batch_request(
                actor=request.user, invoice_ids=form.invoice_ids(), note=data["note"])):
            messages.success(request, _("Asked to write off %(count)s small balances; a finance manager approves.")
                             % {"count": form.result.items_count})
            return redirect("writeoffs:small_balance_batch", form.result.pk)
    company = company_ensure()
    return render(request, "writeoffs/small_balances.html", {
        "page": paginate(request, rows), "form": form,
        "account": SmallBalanceAccount(small_balance_account(company)).label,
        "default_threshold": SMALL_BALANCE_DEFAULT_MINOR},
        status=400 if form is not None and form.errors else 200)


@login_required
@permission_required(VIEW, raise_exception=True)
def small_balance_batches(request):
    rows = batch_list(status=request.GET.get("status", "") if request.GET.get("status") in BatchStatus.values else "")
    if export_format(request):
        return export_response(request, f"small-balance-batches-{timezone.localdate():%Y%m%d}",
                               small_exports.batch_table(rows))
    return render(request, "writeoffs/small_balance_batches.html", {
        "page": paginate(request, rows), "statuses": BatchStatus.choices, "status": request.GET.get("status", "")})


def _batch(small_batch_id: int) -> SmallBalanceBatch:
    batch = batch_list().filter(pk=small_batch_id).first()
    if batch is None:
        raise Http404(_("No such batch."))
    return batch


@login_required
@permission_required(VIEW, raise_exception=True)
def small_balance_batch(request, small_batch_id: int):
    batch = _batch(small_batch_id)
    items = small_selectors.batch_items(batch)
    if export_format(request):
        return export_response(request, f"small-balance-batch-{batch.pk}", small_exports.item_table(batch, items))
    can_decide = (batch.status == BatchStatus.PENDING and request.user.has_perm(APPROVE)
                  and request.user.pk != batch.requested_by_id)
    return render(request, "writeoffs/small_balance_batch.html", {
        "batch": batch, "page": paginate(request, items), "form": DecisionForm() if can_decide else None,
        "job": small_selectors.batch_job(batch)})


@login_required
@permission_required(APPROVE, raise_exception=True)
@require_POST
def small_balance_batch_decide(request, small_batch_id: int, decision: str):
    batch = _batch(small_batch_id)
    if decision not in ("approve", "reject"):
        raise Http404
    form = DecisionForm(request.POST)
    service = (small_services.small_balance_batch_approve if decision == "approve"
               else small_services.small_balance_batch_reject)
    if form.run_service(lambda data: service(actor=request.user, batch=batch, note=data["note"])):
        messages.success(request, _("Approved.") if decision == "approve" else _("Rejected."))
        return redirect("writeoffs:small_balance_batch", batch.pk)
    return render(request, "writeoffs/small_balance_batch.html", {
        "batch": batch, "page": paginate(request, small_selectors.batch_items(batch)), "form": form,
        "job": small_selectors.batch_job(batch)}, status=400)


@login_required
@permission_required(VIEW, raise_exception=True)
def small_balance_settings(request):
    """The thresholds by currency (default 50.00) and the write-off account; a finance manager changes them."""
    company = company_ensure()
    editable = request.user.has_perm(SETTINGS)
    threshold_form = ThresholdForm(request.POST if "currency" in request.POST else None) if editable else None
    account_form = AccountForm(request.POST if "account" in request.POST else None,
                               initial={"account": small_balance_account(company)}) if editable else None
    if request.method == "POST":
        if not editable:
            raise Http404
        done = False
        if threshold_form is not None and threshold_form.is_bound:
            done = threshold_form.run_service(lambda data: small_services.small_balance_threshold_set(
                actor=request.user, currency=data["currency"], threshold_minor=data["threshold"]))
        elif account_form is not None and account_form.is_bound:
            done = account_form.run_service(lambda data: small_services.small_balance_account_set(
                actor=request.user, account=data["account"]))
        if done:
            messages.success(request, _("Saved."))
            return redirect("writeoffs:small_balance_settings")
    thresholds = small_balance_thresholds(company)
    return render(request, "writeoffs/small_balance_settings.html", {
        "thresholds": sorted(thresholds.items()), "default_threshold": SMALL_BALANCE_DEFAULT_MINOR,
        "account": SmallBalanceAccount(small_balance_account(company)).label,
        "threshold_form": threshold_form, "account_form": account_form},
        status=400 if (threshold_form is not None and threshold_form.errors)
        or (account_form is not None and account_form.errors) else 200)
