"""REST API of bad-debt provisioning (坏账准备), mounted at /api/v1/provisioning.

    GET  /matrices, POST /matrices                the company's matrix versions; a new version (becomes active)
    GET  /loss-rates?as_of=&months=               roll and loss rates from month-end history beside the active matrix
    GET  /assessments, POST /assessments          individual assessments; record one (multipart: fields, `file`)
    POST /assessments/{id}/end                    end one {ended_on}
    POST /runs/preview                            the run of any day {as_of}, posted nowhere
    POST /runs                                    post a month end's run {as_of} (202 with a job when large)
    GET  /runs, /runs/{id}                        posted runs
    GET  /runs/{id}/lines                         per customer and band, paginated
    GET  /runs/{id}/verify                        recompute from the stored inputs and compare
    GET  /runs/{id}/report?format=xlsx|csv|pdf    the report as a file

Reading needs ``provisioning.view_provisionrun`` (matrices ``view_provisionmatrix``, assessments
``view_individualassessment``); posting ``add_provisionrun``; a matrix version ``add_provisionmatrix``; assessments
``add_individualassessment`` / ``change_individualassessment``.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.errors import NotFound, ValidationFailed
from arms.common.files import file_response
from arms.common.pagination import PageParams, paginate
from arms.common.uploads import upload_check
from arms.customers.models import Customer
from arms.customers.selectors import company_default
from arms.provisioning import exports, selectors, services
from arms.provisioning.documents import file_stem, render_run_pdf
from arms.provisioning.jobs import post_job_start
from arms.provisioning.models import IndividualAssessment
from arms.provisioning.schemas import (
    ProvisionAsOfIn,
    ProvisionAsOfQuery,
    ProvisionAssessmentEndIn,
    ProvisionAssessmentForm,
    ProvisionAssessmentOut,
    ProvisionAssessmentPage,
    ProvisionLinePage,
    ProvisionLossRatesOut,
    ProvisionMatrixIn,
    ProvisionMatrixOut,
    ProvisionMatrixPage,
    ProvisionPreviewOut,
    ProvisionReportQuery,
    ProvisionRunOut,
    ProvisionRunPage,
    ProvisionVerifyOut,
)
from arms.web.exports import CSV_TYPE, XLSX_TYPE, csv_lines, xlsx_file

router = Router(tags=["provisioning"])

VIEW = "provisioning.view_provisionrun"
PREVIEW_LINES = 50
#: the evidence is an optional multipart file
OPTIONAL_FILE = File(None)


def _company():
    company = company_default()
    if company is None:
        raise NotFound(_("The company is not set up yet (arms setup)."), field="company")
    return company


def _line(figures: services.CustomerFigures) -> dict:
    result = figures.result
    return {"customer_id": figures.customer_id, "group": figures.group, "basis": result.basis,
            "open_by_band": list(result.open_by_band), "rate_by_band": list(result.rate_by_band),
            "required_by_band": list(result.required_by_band), "open_minor": result.open_total,
            "required_minor": result.required, "booked_before_minor": figures.booked_before,
            "true_up_minor": figures.true_up}


@router.get("/matrices", response=ProvisionMatrixPage, summary="The company's provision matrix versions, newest first")
def matrices(request, page: Query[PageParams]):
    require_perm(request, "provisioning.view_provisionmatrix")
    company = _company()
    services.matrix_active(company=company)
    return paginate(selectors.matrix_list(company=company), limit=page.limit, offset=page.offset)


@router.post("/matrices", response={201: ProvisionMatrixOut}, summary="A new matrix version (it becomes active)")
def matrix_create(request, payload: ProvisionMatrixIn):
    require_perm(request, "provisioning.add_provisionmatrix")
    made = services.matrix_version_create(
        actor=request.user, company=_company(), name=payload.name, note=payload.note,
        bands=[band.model_dump() for band in payload.bands], group_rates=payload.group_rates)
    return Status(201, made)


@router.get("/loss-rates", response=ProvisionLossRatesOut,
            summary="Roll rates and loss rates from month-end history, beside the active matrix")
def loss_rates(request, query: Query[ProvisionAsOfQuery]):
    require_perm(request, "provisioning.view_provisionmatrix")
    company = _company()
    history = selectors.loss_rates(company=company, as_of=query.as_of or timezone.localdate(), months=query.months)
    matrix = services.matrix_active(company=company)
    historical = selectors.band_history(services.matrix_parse(matrix), history)
    return {**history, "bands": [{**band, "historical_loss_bp": rate}
                                 for band, rate in zip(matrix.bands, historical, strict=True)]}


@router.get("/assessments", response=ProvisionAssessmentPage, summary="Individual assessments (单项计提)")
def assessments(request, page: Query[PageParams]):
    require_perm(request, "provisioning.view_individualassessment")
    return paginate(selectors.assessment_list(company=_company()), limit=page.limit, offset=page.offset)


@router.post("/assessments", response={201: ProvisionAssessmentOut},
             summary="Record an individual assessment (multipart: the fields and an optional evidence `file`)")
def assessment_create(request, payload: Form[ProvisionAssessmentForm], file: UploadedFile | None = OPTIONAL_FILE):
    require_perm(request, "provisioning.add_individualassessment")
    customer = Customer.objects.filter(pk=payload.customer_id, company=_company()).first()
    if customer is None:
        raise ValidationFailed(_("No such customer."), field="customer_id")
    upload_check(file, field="file")
    made = services.assessment_record(
        actor=request.user, customer=customer, rate_bp=payload.rate_bp, amount_minor=payload.amount_minor,
        reason=payload.reason, valid_from=payload.valid_from,
        evidence_content=file.read() if file is not None else None, evidence_name=file.name if file else "")
    return Status(201, made)


@router.post("/assessments/{assessment_id}/end", response=ProvisionAssessmentOut,
             summary="End an individual assessment")
def assessment_end(request, assessment_id: int, payload: ProvisionAssessmentEndIn):
    require_perm(request, "provisioning.change_individualassessment")
    assessment = IndividualAssessment.objects.filter(pk=assessment_id, company=_company()).first()
    if assessment is None:
        raise NotFound(_("No such assessment."), field="assessment_id")
    return services.assessment_end(actor=request.user, assessment=assessment, on=payload.ended_on)


@router.post("/runs/preview", response=ProvisionPreviewOut, summary="The provision of any day, posted nowhere")
def run_preview(request, payload: ProvisionAsOfIn):
    require_perm(request, VIEW)
    computation = services.provision_preview(company=_company(), as_of=payload.as_of)
    top = sorted(computation.customers, key=lambda c: (-c.result.required, c.customer_id))[:PREVIEW_LINES]
    return {"as_of": computation.as_of, "matrix_version": computation.matrix.version,
            "customer_count": len(computation.customers), "total_open_minor": computation.total_open,
            "total_required_minor": computation.total_required,
            "total_booked_before_minor": computation.total_booked_before, "true_up_minor": computation.true_up,
            "band_totals": computation.band_totals(), "lines": [_line(c) for c in top]}


@router.post("/runs", response={201: ProvisionRunOut, **ACCEPTED},
             summary="Post the provision run of a month end (once per period)")
def run_post(request, payload: ProvisionAsOfIn):
    """A run over more than 100 customers is posted by a background job (202 with the job); a second run for a
    posted period is 409 ``provision_period_posted``."""
    require_perm(request, "provisioning.add_provisionrun")
    company = _company()
    services.post_checks(company=company, as_of=payload.as_of)
    if services.run_is_large(services.provision_preview(company=company, as_of=payload.as_of)):
        job, _created = post_job_start(company=company, as_of=payload.as_of, actor=request.user)
        return job_accepted(request, job)
    run = services.provision_run_post(actor=request.user, company=company, as_of=payload.as_of)
    return Status(201, selectors.run_get(run_id=run.pk))


@router.get("/runs", response=ProvisionRunPage, summary="Posted provision runs, newest period first")
def runs(request, page: Query[PageParams]):
    require_perm(request, VIEW)
    return paginate(selectors.run_list(company=_company()), limit=page.limit, offset=page.offset)


@router.get("/runs/{run_id}", response=ProvisionRunOut, summary="One posted run")
def run_detail(request, run_id: int):
    require_perm(request, VIEW)
    return selectors.run_get(run_id=run_id)


@router.get("/runs/{run_id}/lines", response=ProvisionLinePage, summary="A run per customer and band")
def run_lines(request, run_id: int, page: Query[PageParams]):
    require_perm(request, VIEW)
    run = selectors.run_get(run_id=run_id)
    return paginate(selectors.run_lines(run), limit=page.limit, offset=page.offset)


@router.get("/runs/{run_id}/verify", response=ProvisionVerifyOut,
            summary="Recompute a run from its stored inputs and compare (and with the ledger of today)")
def run_verify(request, run_id: int):
    require_perm(request, VIEW)
    check = services.provision_run_verify(selectors.run_get(run_id=run_id))
    return {"ok": check.ok, "digest_ok": check.digest_ok, "recomputed": check.recomputed, "ledger": check.ledger}


@router.get("/runs/{run_id}/report", response={200: None}, summary="The run's report: xlsx, csv or pdf")
def run_report(request, run_id: int, query: Query[ProvisionReportQuery]):
    require_perm(request, VIEW)
    run = selectors.run_get(run_id=run_id)
    if query.format == "pdf":
        return file_response(render_run_pdf(run), filename=f"{file_stem(run)}.pdf", content_type="application/pdf")
    table = exports.run_lines_table(run, selectors.run_lines(run))
    if query.format == "csv":
        return file_response(b"".join(csv_lines(table)), filename=f"{file_stem(run)}.csv", content_type=CSV_TYPE)
    return file_response(xlsx_file(table), filename=f"{file_stem(run)}.xlsx", content_type=XLSX_TYPE)
