"""Pages of collections: the worklist, one customer's case, the forms that act on it, my tasks, disputes.

Each view parses its input, checks the permission, calls one selector or service and renders. Visibility
comes from the selectors (another salesperson's customer is a 404 here as in the API).
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

from arms.cases import exports, selectors, services
from arms.cases.enums import DisputeStatus, PlanStatus, PromiseStatus, TaskStatus
from arms.cases.forms import (
    BUCKET_LABELS,
    ActivityForm,
    BundleForm,
    DecisionForm,
    DisputeForm,
    DisputeResolveForm,
    PlanForm,
    PromiseForm,
    TaskCompleteForm,
    TaskForm,
    WorklistFilterForm,
)
from arms.cases.jobs import bundle_job_start, bundle_jobs_of
from arms.cases.models import Attachment
from arms.common import hooks
from arms.common.errors import ArmsError
from arms.common.files import file_response
from arms.ledger import selectors as ledger
from arms.web.exports import export_format, export_response
from arms.web.outlook import oldest_item_outlook, payment_outlook
from arms.web.paging import currency_totals, paginate
from arms.web.shortcuts import customer_or_404, safe_next

HISTORY_LIMIT = 200


def _done(request, customer, message: str):
    messages.success(request, message)
    url = reverse("cases:case", args=[customer.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# ---------------------------------------------------------------- the worklist


@require_GET
@login_required
@permission_required("cases.view_activity", raise_exception=True)
def worklist(request):
    today = timezone.localdate()
    data = request.GET.copy()
    if "collector" not in data and request.user.groups.filter(name="collector").exists():
        data["collector"] = "me"  # a collector starts on their own customers
    form = WorklistFilterForm(data)
    rows = selectors.worklist(user=request.user, as_of=today, **form.filters(user=request.user))
    if export_format(request):
        return export_response(request, f"worklist-{today:%Y%m%d}", exports.worklist_table(rows))
    page = paginate(request, rows)
    outlooks = oldest_item_outlook(row.customer for row in page.object_list)
    for row in page.object_list:
        row.outlook = outlooks.get(row.customer.pk)
    context = {"form": form, "page": page, "today": today,
               "overdue_total_minor": rows.overdue_total_minor,
               "query": data.urlencode(), "bucket_labels": BUCKET_LABELS}
    template = "cases/worklist.html#results" if request.htmx else "cases/worklist.html"
    return render(request, template, context)


# ---------------------------------------------------------------- the case page


def _case_context(request, customer, **forms) -> dict:
    user = request.user
    today = timezone.localdate()
    open_items = list(ledger.open_items_for_customer(customer.pk))
    disputed = dict(selectors.disputed_open_minor(as_of=today).filter(invoice__customer=customer))
    held = set(selectors.invoice_ids_held_from_dunning(as_of=today).filter(customer=customer))
    outlooks = payment_outlook(invoice.pk for invoice in open_items)
    for invoice in open_items:
        invoice.disputed_minor = disputed.get(invoice.pk, 0)
        invoice.held = invoice.pk in held
        invoice.outlook = outlooks.get(invoice.pk)
    tasks = list(selectors.tasks_of(customer.pk))
    context = {
        "customer": customer,
        "today": today,
        "balances": ledger.customer_balances(customer.pk),
        "open_items": open_items,
        "contacts": customer.contacts.order_by("-is_primary", "name"),
        "activities": selectors.activities_of(customer.pk)[:HISTORY_LIMIT],
        "open_tasks": [t for t in tasks if t.status == TaskStatus.OPEN],
        "closed_tasks": [t for t in tasks if t.status != TaskStatus.OPEN][:20],
        "promises": selectors.promises_of(customer.pk),
        "plans": selectors.plans_of(customer.pk),
        "disputes": selectors.disputes_of(customer.pk),
        "bundle_jobs": bundle_jobs_of(user=user, customer_id=customer.pk) if user.has_perm("cases.export_bundle")
        else [],
        # the customer's legal cases, read-only, from legal (above cases) through its hook
        "legal_cases": [row for rows in hooks.run(hooks.LEGAL_SUMMARY, customer_id=customer.pk, user=user)
                        for row in rows],
        "PromiseStatus": PromiseStatus, "PlanStatus": PlanStatus, "DisputeStatus": DisputeStatus,
        "can": {
            "activity": user.has_perm("cases.add_activity"),
            "task": user.has_perm("cases.add_task"),
            "task_close": user.has_perm("cases.change_task"),
            "promise": user.has_perm("cases.add_promisetopay"),
            "plan": user.has_perm("cases.add_installmentplan"),
            "approve": user.has_perm("cases.approve_installmentplan"),
            "dispute": user.has_perm("cases.add_dispute"),
            "resolve": user.has_perm("cases.change_dispute"),
            "bundle": user.has_perm("cases.export_bundle"),
        },
    }
    context["activity_form"] = forms.get("activity_form") or ActivityForm(invoices=open_items)
    context["task_form"] = forms.get("task_form") or TaskForm(initial={"due_on": today})
    context["promise_form"] = forms.get("promise_form") or PromiseForm(invoices=open_items)
    context["plan_form"] = forms.get("plan_form") or PlanForm(invoices=open_items)
    context["dispute_form"] = forms.get("dispute_form") or DisputeForm(invoices=open_items)
    context["bundle_form"] = forms.get("bundle_form") or BundleForm()
    context["complete_form"] = TaskCompleteForm()
    context["resolve_form"] = DisputeResolveForm()
    return context


@require_GET
@login_required
@permission_required("cases.view_activity", raise_exception=True)
def case(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    return render(request, "cases/case.html", _case_context(request, customer))


def _refused(request, customer, name: str, form):
    """Show the form again with the errors: only its partial for htmx, the whole page otherwise."""
    context = _case_context(request, customer, **{name: form})
    if request.htmx:
        return render(request, f"cases/case.html#{name}", context)
    return render(request, "cases/case.html", context, status=400)


def _open_items(customer):
    return list(ledger.open_items_for_customer(customer.pk))


@require_POST
@login_required
@permission_required("cases.add_activity", raise_exception=True)
def activity_add(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    form = ActivityForm(request.POST, request.FILES, invoices=_open_items(customer))
    if form.run_service(lambda data: services.activity_record(customer=customer, actor=request.user,
                                                              **form.service_arguments())):
        return _done(request, customer, _("Activity recorded."))
    return _refused(request, customer, "activity_form", form)


@require_POST
@login_required
@permission_required("cases.add_task", raise_exception=True)
def task_add(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    form = TaskForm(request.POST)
    if form.run_service(lambda data: services.task_create(customer=customer, actor=request.user, **data)):
        return _done(request, customer, _("Task created."))
    return _refused(request, customer, "task_form", form)


def _visible_task(request, task_id: int):
    task = selectors.task_list(user=request.user).filter(pk=task_id).first()
    if task is None:
        raise Http404(_("Task not found."))
    return task


@require_POST
@login_required
@permission_required("cases.change_task", raise_exception=True)
def task_done(request, task_id: int):
    task = _visible_task(request, task_id)
    form = TaskCompleteForm(request.POST)
    if form.is_valid():
        try:
            services.task_complete(task=task, actor=request.user, outcome=form.cleaned_data["outcome"] or "done",
                                   note=form.cleaned_data["note"])
        except ArmsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Task done and recorded on the history."))
    url = safe_next(request, "cases:case", task.customer_id)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@login_required
@permission_required("cases.change_task", raise_exception=True)
def task_drop(request, task_id: int):
    task = _visible_task(request, task_id)
    try:
        services.task_cancel(task=task, actor=request.user, note=request.POST.get("note", "")[:500])
    except ArmsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Task cancelled."))
    url = reverse("cases:case", args=[task.customer_id])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@login_required
@permission_required("cases.add_promisetopay", raise_exception=True)
def promise_add(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    form = PromiseForm(request.POST, invoices=_open_items(customer))
    if form.run_service(lambda data: services.promise_record(
            customer=customer, actor=request.user, amount_minor=data["amount"], promised_on=data["promised_on"],
            invoices=[int(pk) for pk in data["invoices"]], contact_name=data["contact_name"], note=data["note"])):
        return _done(request, customer, _("Promise to pay recorded."))
    return _refused(request, customer, "promise_form", form)


@require_POST
@login_required
@permission_required("cases.add_installmentplan", raise_exception=True)
def plan_add(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    form = PlanForm(request.POST, invoices=_open_items(customer))
    if form.run_service(lambda data: services.plan_request(
            customer=customer, actor=request.user, invoices=[int(pk) for pk in data["invoices"]],
            total_minor=data["total"], installments=data["installments"], first_due_on=data["first_due_on"],
            every_months=data["every_months"], grace_days=data["grace_days"], note=data["note"])):
        return _done(request, customer, _("Installment plan requested; a finance manager approves it."))
    return _refused(request, customer, "plan_form", form)


@require_POST
@login_required
@permission_required("cases.approve_installmentplan", raise_exception=True)
def plan_decide(request, plan_id: int, decision: str):
    plan = selectors.plan_list(user=request.user).filter(pk=plan_id).first()
    if plan is None or decision not in ("approve", "reject"):
        raise Http404(_("Installment plan not found."))
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    service = services.plan_approve if decision == "approve" else services.plan_reject
    try:
        service(plan=plan, actor=request.user, note=note)
    except ArmsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Installment plan approved.") if decision == "approve"
                         else _("Installment plan rejected."))
    url = reverse("cases:case", args=[plan.customer_id])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@login_required
@permission_required("cases.add_dispute", raise_exception=True)
def dispute_add(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    open_items = _open_items(customer)
    form = DisputeForm(request.POST, invoices=open_items)
    if form.run_service(lambda data: services.dispute_raise(
            invoice=next(inv for inv in open_items if str(inv.pk) == data["invoice"]), actor=request.user,
            amount_minor=data["amount"], reason_code=data["reason_code"], department=data["department"],
            description=data["description"])):
        return _done(request, customer, _("Dispute raised; its amount is held from dunning."))
    return _refused(request, customer, "dispute_form", form)


@require_POST
@login_required
@permission_required("cases.change_dispute", raise_exception=True)
def dispute_close(request, dispute_id: int):
    dispute = selectors.dispute_list(user=request.user).filter(pk=dispute_id).first()
    if dispute is None:
        raise Http404(_("Dispute not found."))
    form = DisputeResolveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.dispute_resolve(dispute=dispute, actor=request.user, resolution=data["resolution"],
                                     credit_minor=data["credit"], corrected_invoice_ref=data["corrected_invoice_ref"],
                                     note=data["note"])
        except ArmsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Dispute closed."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    url = reverse("cases:case", args=[dispute.customer_id])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@login_required
@permission_required("cases.export_bundle", raise_exception=True)
def bundle_download(request, customer_id: int):
    """Queue the bundle; the case page shows its progress and, once made, the download."""
    customer = customer_or_404(request.user, customer_id)
    form = BundleForm(request.POST)
    if form.is_valid():
        try:
            _job, created = bundle_job_start(customer=customer, recipient=form.cleaned_data["recipient"],
                                             note=form.cleaned_data["note"], actor=request.user)
        except ArmsError as error:
            form.add_service_error(error)
        else:
            messages.info(request, _("The evidence bundle is being made in the background; its progress is shown "
                                     "on this page.") if created else
                          _("This evidence bundle is already being made; its progress is shown on this page."))
            url = reverse("cases:case", args=[customer.pk]) + "#bundle-jobs"
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return render(request, "cases/case.html", _case_context(request, customer, bundle_form=form), status=400)


@require_GET
@login_required
@permission_required("cases.view_activity", raise_exception=True)
def attachment_download(request, activity_id: int):
    activity = (selectors.activity_list(user=request.user).filter(pk=activity_id, attachment__isnull=False)
                .first())
    if activity is None:
        raise Http404(_("Attachment not found."))
    attachment = Attachment.objects.get(pk=activity.attachment_id)
    return file_response(attachment.content, filename=activity.attachment_name, content_type=attachment.content_type,
                         sha256=attachment.sha256)


# ---------------------------------------------------------------- my tasks, disputes


@require_GET
@login_required
@permission_required("cases.view_task", raise_exception=True)
def my_tasks(request):
    show = request.GET.get("show", "mine")
    tasks = selectors.task_list(user=request.user, status=TaskStatus.OPEN,
                                assignee_id=request.user.pk if show == "mine" else None)
    if export_format(request):
        return export_response(request, f"tasks-{timezone.localdate():%Y%m%d}", exports.task_table(tasks))
    return render(request, "cases/tasks.html", {"page": paginate(request, tasks), "show": show,
                                                "today": timezone.localdate(),
                                                "complete_form": TaskCompleteForm(),
                                                "can_close": request.user.has_perm("cases.change_task")})


@require_GET
@login_required
@permission_required("cases.view_dispute", raise_exception=True)
def dispute_list(request):
    status = request.GET.get("status", DisputeStatus.OPEN)
    if status not in DisputeStatus.values and status != "all":
        status = DisputeStatus.OPEN
    disputes = selectors.dispute_list(user=request.user, status="" if status == "all" else status)
    if export_format(request):
        return export_response(request, f"disputes-{timezone.localdate():%Y%m%d}", exports.dispute_table(disputes))
    return render(request, "cases/disputes.html", {"page": paginate(request, disputes), "status": status,
                                                   "statuses": DisputeStatus.choices,
                                                   "totals": currency_totals(disputes, "amount_minor"),
                                                   "today": timezone.localdate()})


def _status_filter(request, choices) -> str:
    """``?status=`` when it is one of ``choices``; "" (every status) otherwise."""
    status = request.GET.get("status", "")
    return status if status in choices.values else ""


@require_GET
@login_required
@permission_required("cases.view_promisetopay", raise_exception=True)
def promise_list(request):
    status = _status_filter(request, PromiseStatus)
    promises = selectors.promise_list(user=request.user, status=status).select_related("created_by")
    if export_format(request):
        return export_response(request, f"promises-{timezone.localdate():%Y%m%d}", exports.promise_table(promises))
    return render(request, "cases/promises.html", {
        "page": paginate(request, promises), "status": status, "statuses": PromiseStatus.choices,
        "totals": currency_totals(promises, "amount_minor", "paid_minor"), "today": timezone.localdate(),
    })


@require_GET
@login_required
@permission_required("cases.view_installmentplan", raise_exception=True)
def plan_list(request):
    status = _status_filter(request, PlanStatus)
    plans = selectors.plan_list(user=request.user, status=status)
    if export_format(request):
        return export_response(request, f"installment-plans-{timezone.localdate():%Y%m%d}",
                               exports.plan_table(plans))
    return render(request, "cases/plans.html", {
        "page": paginate(request, plans), "status": status, "statuses": PlanStatus.choices,
        "totals": currency_totals(plans, "total_minor", "paid_minor"),
    })


