"""Pages of the allowance for doubtful accounts at /provisioning/: the active matrix beside the loss rates from
history and the runs (preview any day, post a month end; a large run is posted by a background job), a run's report
(per customer and band, Excel/CSV, PDF, recompute-and-compare), a new matrix version, individual assessments.
Each view checks the permission, calls one selector or service, renders."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from arms.common.errors import NotFound
from arms.common.files import file_response
from arms.common.jobs import jobs_for_page
from arms.customers.models import Customer
from arms.customers.selectors import company_default
from arms.domain import provisioning as rules
from arms.domain.terms import month_end
from arms.provisioning import exports, selectors, services
from arms.provisioning.documents import file_stem, render_run_pdf
from arms.provisioning.forms import AssessmentEndForm, AssessmentForm, MatrixForm, RunForm
from arms.provisioning.jobs import POST, post_job_start
from arms.provisioning.models import IndividualAssessment
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate

VIEW = "provisioning.view_provisionrun"


def _company():
    company = company_default()
    if company is None:
        raise Http404("no company")
    return company


def _last_month_end() -> date:
    return timezone.localdate().replace(day=1) - timedelta(days=1)


def _home(request, *, form: RunForm | None = None, status: int = 200):
    company = _company()
    matrix = services.matrix_active(company=company)
    runs = selectors.run_list(company=company)
    return render(request, "provisioning/home.html", {
        "tab": "runs", "matrix": matrix, "page": paginate(request, runs),
        "form": form or RunForm(initial={"as_of": _last_month_end()}),
        "jobs": jobs_for_page(user=request.user, kind=POST, limit=3)}, status=status)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def home(request):
    if export_format(request):
        return export_response(request, f"provision-runs-{timezone.localdate():%Y%m%d}",
                               exports.run_table(selectors.run_list(company=_company())))
    return _home(request)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def preview(request):
    query = request.GET.copy()
    query.setdefault("as_of", _last_month_end().isoformat())  # no day asked: last month end
    form = RunForm(query)
    if not form.run_service(lambda data: services.provision_preview(company=_company(), as_of=data["as_of"])):
        return _home(request, form=form, status=400)
    computation = form.result
    lines = sorted(computation.customers, key=lambda c: (-c.result.required, c.customer_id))
    page = paginate(request, lines)
    names = {c.pk: c for c in Customer.objects.filter(pk__in=[line.customer_id for line in page.object_list])}
    rows = [(names[line.customer_id], line) for line in page.object_list]
    return render(request, "provisioning/preview.html", {
        "tab": "runs", "c": computation, "page": page, "rows": rows, "form": form,
        "band_totals": computation.band_totals(), "postable": computation.as_of == month_end(computation.as_of)})


@require_POST
@login_required
@permission_required("provisioning.add_provisionrun", raise_exception=True)
def post(request):
    form = RunForm(request.POST)
    company = _company()

    def start(data):
        services.post_checks(company=company, as_of=data["as_of"])
        computation = services.provision_preview(company=company, as_of=data["as_of"])
        if services.run_is_large(computation):
            return post_job_start(company=company, as_of=data["as_of"], actor=request.user)[0]
        return services.provision_run_post(actor=request.user, company=company, as_of=data["as_of"])

    if form.run_service(start):
        if not hasattr(form.result, "as_of"):
            messages.info(request, _("The run is large: it is being posted in the background."))
            return redirect("provisioning:home")
        run = form.result
        messages.success(request, _("The allowance of %(period)s is posted: %(change)s.") % {
            "period": f"{run.as_of:%Y-%m}", "change": services.true_up_text(run.true_up_minor)})
        return redirect("provisioning:run", run.pk)
    return _home(request, form=form, status=400)


def _run(run_id: int):
    try:
        return selectors.run_get(run_id=run_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def run_detail(request, run_id: int):
    run = _run(run_id)
    lines = selectors.run_lines(run)
    if export_format(request):
        return export_response(request, file_stem(run), exports.run_lines_table(run, lines))
    verification = services.provision_run_verify(run) if request.GET.get("verify") == "1" else None
    return render(request, "provisioning/run.html", {
        "tab": "runs", "run": run, "page": paginate(request, lines), "bands": run.band_totals,
        "verification": verification})


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def run_pdf(request, run_id: int):
    run = _run(run_id)
    return file_response(render_run_pdf(run), filename=f"{file_stem(run)}.pdf", content_type="application/pdf")


#: the shipped tables a new version can start from (?start=...): the seeds' stepped rates and the 账龄分析法 table
STARTERS = {
    "seeds": (gettext_lazy("Stepped rates by age (1–6 months, 6–12 months, over 1 year)"), rules.SEED_BANDS),
    "aging_method": (gettext_lazy("Aging method table (账龄分析法: within 1 year … over 5 years)"),
                     rules.AGING_METHOD_BANDS),
}


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("provisioning.view_provisionmatrix", raise_exception=True)
def matrix_view(request):
    company = _company()
    active = services.matrix_active(company=company)
    starter = STARTERS.get(request.GET.get("start", ""))
    form = MatrixForm(initial=MatrixForm.initial_for(str(starter[0]), starter[1], {}) if starter
                      else MatrixForm.initial_from(active))
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("provisioning.add_provisionmatrix"):
            raise PermissionDenied
        form = MatrixForm(request.POST)
        if form.run_service(lambda data: services.matrix_version_create(
                actor=request.user, company=company, name=data["name"], bands=form.bands(),
                group_rates=form.group_rates(), note=data["note"])):
            messages.success(request, _("Matrix version %(version)s is now in force.") % {
                "version": form.result.version})
            return redirect("provisioning:matrix")
        status = 400
    # loss rates from history: one aggregate query per month end of the last 12 months
    history = selectors.loss_rates(company=company, as_of=timezone.localdate())
    historical = selectors.band_history(services.matrix_parse(active), history)
    return render(request, "provisioning/matrix.html", {
        "tab": "matrix", "form": form, "active": active, "history": history, "starter": request.GET.get("start", ""),
        "bands": list(zip(active.bands, historical, strict=True)),
        "versions": paginate(request, selectors.matrix_list(company=company))}, status=status)


def _assessments(request, *, form=None, status: int = 200):
    company = _company()
    assessments = selectors.assessment_list(company=company)
    return render(request, "provisioning/assessments.html", {
        "tab": "assessments", "page": paginate(request, assessments),
        "form": form or AssessmentForm(company=company, initial={"valid_from": timezone.localdate()}),
        "end_form": AssessmentEndForm(initial={"ended_on": timezone.localdate()})}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("provisioning.view_individualassessment", raise_exception=True)
def assessments(request):
    if request.method == "GET":
        if export_format(request):
            return export_response(request, f"provision-assessments-{timezone.localdate():%Y%m%d}",
                                   exports.assessment_table(selectors.assessment_list(company=_company())))
        return _assessments(request)
    if not request.user.has_perm("provisioning.add_individualassessment"):
        raise PermissionDenied
    company = _company()
    form = AssessmentForm(request.POST, request.FILES, company=company)

    def record(data):
        upload = data.get("evidence")
        return services.assessment_record(
            actor=request.user, customer=data["customer"], rate_bp=data["rate"], amount_minor=data["amount"],
            reason=data["reason"], valid_from=data["valid_from"],
            evidence_content=upload.read() if upload else None, evidence_name=upload.name if upload else "")

    if form.run_service(record):
        messages.success(request, _("The individual assessment of %(customer)s is recorded.") % {
            "customer": form.result.customer.name})
        return redirect("provisioning:assessments")
    return _assessments(request, form=form, status=400)


@require_POST
@login_required
@permission_required("provisioning.change_individualassessment", raise_exception=True)
def assessment_end(request, assessment_id: int):
    assessment = IndividualAssessment.objects.filter(pk=assessment_id, company=_company()).first()
    if assessment is None:
        raise Http404("no assessment")
    form = AssessmentEndForm(request.POST)
    if form.run_service(lambda data: services.assessment_end(actor=request.user, assessment=assessment,
                                                             on=data["ended_on"])):
        messages.success(request, _("The individual assessment has ended."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("provisioning:assessments")


@require_GET
@login_required
@permission_required("provisioning.view_individualassessment", raise_exception=True)
def assessment_evidence(request, assessment_id: int):
    assessment = IndividualAssessment.objects.filter(pk=assessment_id, company=_company()).select_related(
        "evidence").first()
    if assessment is None or assessment.evidence is None:
        raise Http404("no evidence")
    return file_response(bytes(assessment.evidence.content), filename=assessment.evidence_name or "evidence",
                         content_type=assessment.evidence.content_type or "application/octet-stream")
