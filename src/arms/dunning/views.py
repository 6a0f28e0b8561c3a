"""Pages of dunning at /dunning/: the overview (start a run, recent runs and actions), a run, an action with its
letter and e-mail, the outbox, the policies and the exclusions. A run and "send all" are background jobs
(``arms.dunning.jobs``): the page shows their progress, and every page with work waiting in the queue warns when
no queue consumer runs. Each view checks the permission, calls one
selector or service and renders; visibility follows the customer selectors (sales see their own customers).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arms.cases.enums import Level
from arms.cases.models import Activity, Task
from arms.common.errors import ArmsError, NotFound
from arms.common.files import file_response
from arms.common.jobs import job_active_get, jobs_for_page
from arms.customers.selectors import customers_visible_to
from arms.dunning import exports, selectors
from arms.dunning.documents import file_names, may_read, stored_or_rendered
from arms.dunning.jobs import EMAILS_RETRY as EMAILS_JOB
from arms.dunning.jobs import RUN as RUN_JOB
from arms.dunning.jobs import emails_retry_job_start, run_job_start
from arms.dunning.models import (
    STAGE_TASK_CHOICES,
    ActionStatus,
    DunningEmail,
    DunningPolicy,
    DunningStage,
    EmailStatus,
    EmailTemplate,
    LetterKind,
    RunTrigger,
)
from arms.dunning.services import action_process, email_send, exclusion_add, exclusion_lift, policy_update
from arms.web.exports import export_format, export_response
from arms.web.paging import currency_totals, paginate
from arms.web.shortcuts import safe_next


def _action(request, action_id: int):
    try:
        return selectors.action_get(user=request.user, action_id=action_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _filters(request) -> dict:
    return {name: request.GET.get(name, "") for name in ("stage_code", "status", "level", "email_status")}


@require_GET
@login_required
@permission_required("dunning.view_dunningaction", raise_exception=True)
def overview(request):
    filters = _filters(request)
    actions = selectors.action_list(user=request.user, **filters)
    if export_format(request):
        return export_response(request, f"dunning-actions-{timezone.localdate():%Y%m%d}",
                               exports.action_table(actions))
    outbox = dict(selectors.email_list(user=request.user).order_by().values_list("status").annotate(n=Count("pk"))
                  .values_list("status", "n"))
    run_day = _run_day(request)
    jobs = jobs_for_page(user=request.user, kind=RUN_JOB)
    context = {
        "today": timezone.localdate(), "run_day": run_day, "filters": filters, "page": paginate(request, actions),
        "totals": currency_totals(actions, "open_minor", "interest_minor"),
        "runs": selectors.run_list().annotate(waiting=selectors.actions_waiting_count())[:8],
        "email_statuses": EmailStatus.choices,
        "outbox": [(code, name, outbox.get(code, 0)) for code, name in EmailStatus.choices],
        "stages": _stage_choices(), "action_statuses": ActionStatus.choices,
        "can_run": request.user.has_perm("dunning.add_dunningrun"),
        "jobs": jobs,
        "busy": job_active_get(kind=RUN_JOB, dedupe_key=run_day.isoformat()),
        # a job still running shows the warning itself
        "waiting": not any(job.is_active for job in jobs) and selectors.queued_work_exists(),
    }
    template = "dunning/overview.html#actions" if request.htmx else "dunning/overview.html"
    return render(request, template, context)


def _run_day(request) -> date:
    """The day the run form proposes: ``?as_of=`` after starting one, else today."""
    try:
        return date.fromisoformat(request.GET.get("as_of", "")[:10])
    except ValueError:
        return timezone.localdate()


def _stage_choices() -> list[tuple[str, str]]:
    seen = {}
    for code, name in DunningStage.objects.order_by("offset_days").values_list("code", "name"):
        seen.setdefault(code, name)
    return list(seen.items())


@require_POST
@login_required
@permission_required("dunning.add_dunningrun", raise_exception=True)
def run_start(request):
    """Queue the day's run as a background job; the overview shows its progress, then links to the run."""
    try:
        as_of = date.fromisoformat(request.POST.get("as_of") or timezone.localdate().isoformat())
        _job, created = run_job_start(as_of=as_of, trigger=RunTrigger.UI, actor=request.user)
    except ValueError:
        messages.error(request, _("Give the date as YYYY-MM-DD."))
        return redirect("dunning:overview")
    except ArmsError as exc:
        messages.error(request, exc.message)
        return redirect("dunning:overview")
    if created:
        messages.info(request, _("The dunning run for %(date)s has started in the background; its progress is "
                                 "shown here.") % {"date": as_of.isoformat()})
    else:
        messages.info(request, _("The dunning run for %(date)s is already under way; its progress is shown here.")
                      % {"date": as_of.isoformat()})
    return redirect(f"{reverse('dunning:overview')}?{urlencode({'as_of': as_of.isoformat()})}")


@require_GET
@login_required
@permission_required("dunning.view_dunningrun", raise_exception=True)
def run_detail(request, run_id: int):
    """The run with what its actions are doing: a run whose actions wait says so (and whether a worker runs)."""
    run = selectors.run_list().filter(pk=run_id).first()
    if run is None:
        raise Http404
    actions = selectors.action_list(user=request.user, run_id=run.pk)
    if export_format(request):
        return export_response(request, f"dunning-run-{run.as_of:%Y%m%d}-{run.pk}", exports.action_table(actions))
    progress = selectors.run_progress(run)
    job = next((j for j in jobs_for_page(user=request.user, kind=RUN_JOB, limit=10)
                if j.params.get("as_of") == run.as_of.isoformat() and j.is_active), None)
    context = {"run": run, "page": paginate(request, actions), "progress": progress, "job": job,
               "totals": currency_totals(actions, "open_minor", "interest_minor")}
    template = "dunning/run.html#progress" if request.htmx else "dunning/run.html"
    return render(request, template, context)


@require_GET
@login_required
@permission_required("dunning.view_dunningrun", raise_exception=True)
def run_list(request):
    runs = selectors.run_list()
    if export_format(request):
        return export_response(request, f"dunning-runs-{timezone.localdate():%Y%m%d}", exports.run_table(runs))
    return render(request, "dunning/runs.html", {"page": paginate(request, runs)})


@require_GET
@login_required
@permission_required("dunning.view_dunningaction", raise_exception=True)
def action_detail(request, action_id: int):
    action = _action(request, action_id)

    email = getattr(action, "email", None) if hasattr(action, "email") else None
    context = {
        "action": action, "items": action.items.select_related("invoice").order_by("outcome", "invoice__due_date"),
        "email": email,
        # the queue carries out a pending action and sends its e-mail: say so when nothing consumes the queue
        "waiting": action.status in selectors.ACTION_WAITING or (
            email is not None and selectors.emails_waiting(DunningEmail.objects.filter(pk=email.pk)).exists()),
        "activity": Activity.objects.filter(source="dunning", source_ref=f"action:{action.pk}").first(),
        "tasks": Task.objects.filter(source="dunning", source_ref__startswith=f"action:{action.pk}").select_related(
            "assignee"),
        "can_run": request.user.has_perm("dunning.add_dunningrun"),
        "can_send": request.user.has_perm("dunning.send_dunning_email"),
    }
    return render(request, "dunning/action.html", context)


def _pdf(request, action, kind: str) -> HttpResponse:
    if not may_read(request.user, action, kind):
        raise PermissionDenied
    content = stored_or_rendered(action, kind)
    if content is None:
        raise Http404
    return file_response(content, filename=file_names(action)[kind], content_type="application/pdf")


@require_GET
@login_required
@permission_required("dunning.view_dunningaction", raise_exception=True)
def action_letter(request, action_id: int):
    return _pdf(request, _action(request, action_id), "letter")


@require_GET
@login_required
@permission_required("dunning.view_dunningaction", raise_exception=True)
def action_statement(request, action_id: int):
    return _pdf(request, _action(request, action_id), "statement")


@require_POST
@login_required
@permission_required("dunning.add_dunningrun", raise_exception=True)
def action_retry(request, action_id: int):
    action = _action(request, action_id)
    try:
        action_process(action_id=action.pk)
        messages.success(request, _("The action was carried out."))
    except ArmsError as exc:
        messages.error(request, exc.message)
    return redirect("dunning:action", action_id=action.pk)


@require_GET
@login_required
@permission_required("dunning.view_dunningemail", raise_exception=True)
def email_list(request):
    status = request.GET.get("status", "")
    emails = selectors.email_list(user=request.user, status=status)
    if export_format(request):
        return export_response(request, f"dunning-emails-{timezone.localdate():%Y%m%d}", exports.email_table(emails))
    visible = selectors.email_list(user=request.user)
    jobs = jobs_for_page(user=request.user, kind=EMAILS_JOB)
    context = {"page": paginate(request, emails), "status": status,
               "statuses": EmailStatus.choices, "can_send": request.user.has_perm("dunning.send_dunning_email"),
               "jobs": jobs, "busy": job_active_get(kind=EMAILS_JOB, dedupe_key=f"user:{request.user.pk}"),
               "waiting": not any(job.is_active for job in jobs) and selectors.emails_waiting(visible).exists()}
    return render(request, "dunning/emails.html", context)


@require_POST
@login_required
@permission_required("dunning.send_dunning_email", raise_exception=True)
def email_retry(request, email_id: int | None = None):
    visible = selectors.email_list(user=request.user)
    if email_id is not None:
        email = visible.filter(pk=email_id).first()
        if email is None:
            raise Http404
        status = email_send(email_id=email.pk)
        if status == EmailStatus.SENT:
            messages.success(request, _("The e-mail was sent."))
        else:
            messages.error(request, _("The e-mail was not sent: %(error)s")
                           % {"error": DunningEmail.objects.get(pk=email.pk).last_error or status})
        return redirect(safe_next(request, "dunning:emails"))
    _job, created = emails_retry_job_start(actor=request.user)
    messages.info(request, _("The e-mails are being sent in the background; the progress is shown here.") if created
                  else _("The e-mails are already being sent; the progress is shown here."))
    return redirect("dunning:emails")


@require_GET
@login_required
@permission_required("dunning.view_dunningpolicy", raise_exception=True)
def policy_list(request):
    policies = DunningPolicy.objects.prefetch_related("stages").order_by("priority", "code")
    return render(request, "dunning/policies.html", {"policies": policies})


STAGE_INPUTS = ("code", "name", "offset_days", "level", "email_template", "letter_kind", "task_kind", "deadline_days")
STAGE_FLAGS = ("send_email", "attach_statement", "stop_supply")


def _posted_stages(post) -> list[dict]:
    """The ladder as the edit form posts it: rows ``stage-<n>-<field>``; a row without a code is left out."""
    stages = []
    for n in range(int(post.get("rows", "0") or 0)):
        row = {name: post.get(f"stage-{n}-{name}", "").strip() for name in STAGE_INPUTS}
        if not row["code"]:
            continue
        for name in ("offset_days", "deadline_days"):
            try:
                row[name] = int(row[name])
            except ValueError:
                raise ArmsError(_("Enter a whole number of days."), field=f"stages[{len(stages)}].{name}") from None
        row.update({name: post.get(f"stage-{n}-{name}") == "on" for name in STAGE_FLAGS})
        stages.append(row)
    return stages


@login_required
@permission_required("dunning.change_dunningpolicy", raise_exception=True)
def policy_edit(request, policy_id: int):
    """Edit a policy's ladder (finance managers): one row per stage, two empty rows to add one."""
    policy = DunningPolicy.objects.filter(pk=policy_id).first()
    if policy is None:
        raise Http404
    error = None
    stages = list(policy.stages.order_by("offset_days").values(*STAGE_INPUTS, *STAGE_FLAGS))
    if request.method == "POST":
        try:
            stages = _posted_stages(request.POST)
            policy_update(actor=request.user, policy=policy, stages=stages,
                          is_active=request.POST.get("is_active") == "on")
            messages.success(request, _("The policy was saved."))
            return redirect("dunning:policies")
        except ArmsError as exc:
            error = exc
    rows = [*stages, {}, {}]
    context = {"policy": policy, "rows": rows, "row_count": len(rows), "error": error, "levels": Level.choices,
               "templates": EmailTemplate.choices, "letters": LetterKind.choices, "tasks": STAGE_TASK_CHOICES}
    return render(request, "dunning/policy_edit.html", context, status=400 if error else 200)


@login_required
@permission_required("dunning.view_dunningexclusion", raise_exception=True)
def exclusion_list(request):
    can_change = request.user.has_perm("dunning.add_dunningexclusion")
    errors = {}
    if request.method == "POST":
        if not can_change:
            raise Http404
        customer = customers_visible_to(request.user).filter(code=request.POST.get("customer_code", "").strip()).first()
        try:
            if customer is None:
                raise NotFound(_("No customer with this code."), field="customer_code")
            until = request.POST.get("until") or None
            exclusion_add(customer=customer, reason=request.POST.get("reason", ""),
                          until=date.fromisoformat(until) if until else None, actor=request.user)
            messages.success(request, _("%(customer)s is no longer dunned.") % {"customer": customer.name})
            return redirect("dunning:exclusions")
        except ValueError:
            errors["until"] = _("Give the date as YYYY-MM-DD.")
        except ArmsError as exc:
            errors[exc.field or "reason"] = exc.message
    exclusions = selectors.exclusion_list(user=request.user)
    if request.method == "GET" and export_format(request):
        return export_response(request, f"dunning-exclusions-{timezone.localdate():%Y%m%d}",
                               exports.exclusion_table(exclusions))
    context = {"page": paginate(request, exclusions), "can_change": can_change,
               "errors": errors, "form": request.POST if request.method == "POST" else {}}
    return render(request, "dunning/exclusions.html", context, status=400 if errors else 200)


@require_POST
@login_required
@permission_required("dunning.change_dunningexclusion", raise_exception=True)
def exclusion_end(request, exclusion_id: int):
    exclusion = selectors.exclusion_list(user=request.user).filter(pk=exclusion_id).first()
    if exclusion is None:
        raise Http404
    try:
        exclusion_lift(exclusion=exclusion, actor=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("%(customer)s is dunned again.") % {"customer": exclusion.customer.name})
    except ArmsError as exc:
        messages.error(request, exc.message)
    return redirect("dunning:exclusions")
