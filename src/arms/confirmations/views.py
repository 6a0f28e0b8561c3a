"""Pages of balance confirmations at /confirmations/: the runs (start one; a large run shows its job's progress),
a run's letters, one letter (figures, PDF and Excel, dispatches, the answer with its scan, the differences), the
differences to settle, and the settings. Each view checks the permission, calls one selector or service, renders.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from arms.common.errors import ArmsError, NotFound
from arms.common.files import file_response
from arms.common.jobs import CONTENT_TYPES, jobs_for_page
from arms.common.uploads import upload_check
from arms.confirmations import exports, selectors
from arms.confirmations.documents import confirmation_table, file_stem, render_confirmation_pdf
from arms.confirmations.enums import ConfirmationStatus, DifferenceStatus
from arms.confirmations.forms import DeliveredForm, PostForm, ReplyForm, ResolveForm, RunStartForm, SettingsForm
from arms.confirmations.jobs import PREPARE, SEND, SEND_INLINE, send_job_start
from arms.confirmations.models import ConfirmationDispatch
from arms.confirmations.services import (
    confirmation_delivery_record,
    confirmation_post_record,
    confirmation_reply,
    confirmation_run_start,
    confirmation_send,
    confirmation_settings_for,
    confirmation_settings_update,
    difference_resolve,
    run_send,
)
from arms.confirmations.services.common import period_end_of
from arms.customers.selectors import company_default
from arms.web.exports import export_format, export_response, xlsx_file
from arms.web.paging import currency_totals, paginate

VIEW = "confirmations.view_confirmation"


def _company():
    company = company_default()
    if company is None:
        raise Http404("no company")
    return company


def _confirmation(request, confirmation_id: int):
    try:
        return selectors.confirmation_get(user=request.user, confirmation_id=confirmation_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _run(run_id: int):
    try:
        return selectors.run_get(run_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def run_list(request):
    runs = selectors.run_list()
    if export_format(request):
        return export_response(request, f"confirmation-runs-{timezone.localdate():%Y%m%d}", exports.run_table(runs))
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    return render(request, "confirmations/runs.html", {
        "page": paginate(request, runs), "tab": "runs",
        "form": RunStartForm(initial={"period": last_month.strftime("%Y-%m")}),
        "jobs": [*jobs_for_page(user=request.user, kind=PREPARE, limit=3),
                 *jobs_for_page(user=request.user, kind=SEND, limit=3)]})


@require_POST
@login_required
@permission_required("confirmations.add_confirmationrun", raise_exception=True)
def run_start(request):
    form = RunStartForm(request.POST)

    def start(data):
        return confirmation_run_start(company=_company(), period_end=period_end_of(data["period"]),
                                      actor=request.user)

    if form.run_service(start):
        run, created = form.result
        if run.job_id and run.status == "preparing":
            messages.info(request, _("The run is large: its letters are being prepared in the background."))
            return redirect("confirmations:runs")
        messages.success(request, _("%(n)s confirmation letters are ready.") % {"n": run.customer_count}
                         if created else _("The run existed; customers not yet in it were added."))
        return redirect("confirmations:run", run.pk)
    return render(request, "confirmations/runs.html", {
        "page": paginate(request, selectors.run_list()), "tab": "runs", "form": form,
        "jobs": jobs_for_page(user=request.user, kind=PREPARE, limit=3)}, status=400)


def _status(request) -> str:
    status = request.GET.get("status", "")
    return status if status in ConfirmationStatus.values else ""


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def run_detail(request, run_id: int):
    run = _run(run_id)
    status, search = _status(request), request.GET.get("search", "")[:200]
    letters = selectors.confirmation_list(user=request.user, run_id=run.pk, status=status, search=search)
    if export_format(request):
        return export_response(request, f"confirmations-{run.period_end:%Y%m}",
                               exports.confirmation_list_table(letters))
    return render(request, "confirmations/run.html", {
        "run": run, "page": paginate(request, letters), "status": status, "search": search,
        "statuses": ConfirmationStatus.choices, "tab": "runs",
        "totals": currency_totals(letters, "closing_minor")})


@require_POST
@login_required
@permission_required("confirmations.add_confirmationdispatch", raise_exception=True)
def run_send_view(request, run_id: int):
    run = _run(run_id)
    if run.prepared_count > SEND_INLINE:
        send_job_start(run=run, actor=request.user)
        messages.info(request, _("The letters are being e-mailed in the background."))
        return redirect("confirmations:runs")
    counts = run_send(run=run, actor=request.user)
    messages.success(request, _("%(sent)s letters e-mailed; %(no_email)s customers have no e-mail address (send "
                                "those by post).") % counts)
    return redirect("confirmations:run", run_id)


LINE_KINDS = {"invoice": gettext_lazy("Invoice"), "credit_note": gettext_lazy("Credit note"),
              "payment": gettext_lazy("Payment"), "payment_reversal": gettext_lazy("Payment reversed")}


def _detail(request, confirmation, *, status: int = 200, **forms):
    data = confirmation.snapshot_data
    for statement in data["statements"]:
        for line in statement["lines"]:
            line["kind_label"] = LINE_KINDS.get(line["kind"], line["kind"])
    context = {
        "c": confirmation, "data": data, "tab": "runs",
        "dispatches": confirmation.dispatches.order_by("sent_at", "id"),
        "differences": [
            (d, forms["resolve_form"] if forms.get("resolve_for") == d.pk
             else ResolveForm(auto_id=f"id_resolve{d.pk}_%s"))
            for d in confirmation.differences.select_related("invoice", "owner", "credit_note").order_by("id")],
        "open_statuses": (ConfirmationStatus.PREPARED, ConfirmationStatus.SENT),
        "today": timezone.localdate(),
        "post_form": forms.get("post_form") or PostForm(initial={"sent_on": timezone.localdate()}),
        "reply_form": forms.get("reply_form") or ReplyForm(confirmation=confirmation),
        "resolve_for": forms.get("resolve_for"),
    }
    return render(request, "confirmations/detail.html", context, status=status)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def confirmation_detail(request, confirmation_id: int):
    return _detail(request, _confirmation(request, confirmation_id))


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def confirmation_pdf(request, confirmation_id: int):
    confirmation = _confirmation(request, confirmation_id)
    return file_response(render_confirmation_pdf(confirmation), filename=f"{file_stem(confirmation)}.pdf",
                         content_type="application/pdf")


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def confirmation_xlsx(request, confirmation_id: int):
    confirmation = _confirmation(request, confirmation_id)
    return file_response(xlsx_file(confirmation_table(confirmation)), filename=f"{file_stem(confirmation)}.xlsx",
                         content_type=CONTENT_TYPES[".xlsx"])


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def confirmation_scan(request, confirmation_id: int):
    confirmation = _confirmation(request, confirmation_id)
    if confirmation.scan is None:
        raise Http404("no scan")
    return file_response(confirmation.scan.content, filename=confirmation.scan_name,
                         content_type=confirmation.scan.content_type, sha256=confirmation.scan.sha256)


@require_POST
@login_required
@permission_required("confirmations.add_confirmationdispatch", raise_exception=True)
def confirmation_send_view(request, confirmation_id: int):
    confirmation = _confirmation(request, confirmation_id)
    try:
        sent = confirmation_send(confirmation=confirmation, actor=request.user)
        messages.success(request, _("E-mailed to %(to)s.") % {"to": ", ".join(d.to for d in sent)})
    except ArmsError as exc:
        messages.error(request, exc.message)
    return redirect("confirmations:detail", confirmation_id)


@require_POST
@login_required
@permission_required("confirmations.add_confirmationdispatch", raise_exception=True)
def confirmation_post_view(request, confirmation_id: int):
    confirmation = _confirmation(request, confirmation_id)
    form = PostForm(request.POST)
    if form.run_service(lambda data: confirmation_post_record(confirmation=confirmation, actor=request.user,
                                                              **data)):
        messages.success(request, _("The postal dispatch was recorded."))
        return redirect("confirmations:detail", confirmation_id)
    return _detail(request, confirmation, status=400, post_form=form)


@require_POST
@login_required
@permission_required("confirmations.add_confirmationdispatch", raise_exception=True)
def dispatch_delivered_view(request, dispatch_id: int):
    dispatch = ConfirmationDispatch.objects.filter(pk=dispatch_id).first()
    if dispatch is None:
        raise Http404("no dispatch")
    confirmation = _confirmation(request, dispatch.confirmation_id)
    form = DeliveredForm(request.POST)
    if form.run_service(lambda data: confirmation_delivery_record(dispatch=dispatch, actor=request.user, **data)):
        messages.success(request, _("The delivery date was recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("confirmations:detail", confirmation.pk)


@require_POST
@login_required
@permission_required("confirmations.reply_confirmation", raise_exception=True)
def confirmation_reply_view(request, confirmation_id: int):
    confirmation = _confirmation(request, confirmation_id)
    upload_check(request.FILES.get("scan"), field="scan")
    form = ReplyForm(request.POST, request.FILES, confirmation=confirmation)
    if form.run_service(lambda _data: confirmation_reply(confirmation=confirmation, actor=request.user,
                                                         **form.service_arguments())):
        messages.success(request, _("The answer was recorded."))
        return redirect("confirmations:detail", confirmation_id)
    return _detail(request, confirmation, status=400, reply_form=form)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def difference_list(request):
    status = request.GET.get("status", DifferenceStatus.OPEN)
    if status not in DifferenceStatus.values and status != "all":
        status = DifferenceStatus.OPEN
    overdue = request.GET.get("overdue") == "1"
    differences = selectors.difference_list(user=request.user, status="" if status == "all" else status,
                                            overdue=overdue)
    if export_format(request):
        return export_response(request, f"confirmation-differences-{timezone.localdate():%Y%m%d}",
                               exports.difference_table(differences))
    return render(request, "confirmations/differences.html", {
        "page": paginate(request, differences), "status": status, "overdue": overdue,
        "statuses": DifferenceStatus.choices, "today": timezone.localdate(), "tab": "differences",
        "totals": currency_totals(differences, "amount_minor")})


@require_POST
@login_required
@permission_required("confirmations.change_confirmationdifference", raise_exception=True)
def difference_resolve_view(request, difference_id: int):
    try:
        difference = selectors.difference_get(user=request.user, difference_id=difference_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = ResolveForm(request.POST, auto_id=f"id_resolve{difference.pk}_%s")
    if form.run_service(lambda data: difference_resolve(difference=difference, actor=request.user, **data)):
        messages.success(request, _("The difference was settled."))
        return redirect("confirmations:detail", difference.confirmation_id)
    return _detail(request, _confirmation(request, difference.confirmation_id), status=400, resolve_form=form,
                   resolve_for=difference.pk)


@login_required
@permission_required("confirmations.view_confirmationsettings", raise_exception=True)
def settings_view(request):
    company = _company()
    current = confirmation_settings_for(company)
    rules = list(current.rules.all())
    grade_a = next((r for r in rules if r.grade == "A" and not r.industry and not r.region), None)
    initial = {"default_frequency": current.default_frequency,
               "reminder_working_days": current.reminder_working_days,
               "task_working_days": current.task_working_days,
               "difference_working_days": current.difference_working_days,
               "grade_a_quarterly": bool(grade_a and grade_a.active and grade_a.frequency == "quarterly")}
    can_change = request.user.has_perm("confirmations.manage_confirmation_settings")
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied

        def save(data):
            kept = [{"grade": r.grade, "industry": r.industry, "region": r.region, "frequency": r.frequency,
                     "active": r.active} for r in rules if r is not grade_a]
            rule = {"grade": "A", "industry": "", "region": "", "frequency": "quarterly",
                    "active": data.pop("grade_a_quarterly")}
            return confirmation_settings_update(company=company, actor=request.user, rules=[rule, *kept], **data)

        if form.run_service(save):
            messages.success(request, _("The confirmation settings were saved."))
            return redirect("confirmations:settings")
    return render(request, "confirmations/settings.html", {
        "form": form, "settings": current, "rules": rules, "can_change": can_change, "tab": "settings"},
        status=400 if form.errors else 200)
