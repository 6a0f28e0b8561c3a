"""REST API of limitation periods (诉讼时效), mounted at /api/v1/limitation.

    GET  /claims?status=&within_days=&collector_id=&customer_id=&search=   claims by expiry, paginated
    GET  /claims/{invoice_id}                    one claim: start, its limitation chain, expiry, status
    POST /interruptions                          record an interruption (JSON) on invoices of a customer
    POST /interruptions/upload                   ... with its evidence file (multipart: the fields and `file`)
    GET  /interruptions/{id}/evidence            the evidence file
    POST /refresh                                collect interruptions and recompute the clocks (a job, 202)
    GET  /settings, PUT /settings                the period in years and the alert days

Reading needs ``limitation.view_limitationclock``; recording and refreshing ``add_limitationinterruption``; the
settings ``change_limitationsettings``. A claim of a customer the user may not see is 404.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.api_types import MAX_ID
from arms.common.errors import NotFound, ValidationFailed
from arms.common.files import file_response
from arms.common.pagination import PageParams, paginate
from arms.common.uploads import upload_check
from arms.customers.selectors import company_default
from arms.limitation import selectors
from arms.limitation.enums import Status as ClockStatus
from arms.limitation.jobs import refresh_job_start
from arms.limitation.schemas import (
    LimitationClaimDetailOut,
    LimitationClaimFilters,
    LimitationClaimPage,
    LimitationInterruptionForm,
    LimitationInterruptionIn,
    LimitationInterruptionOut,
    LimitationSettingsIn,
    LimitationSettingsOut,
)
from arms.limitation.services import (
    interruption_record_for_customer,
    limitation_settings_for,
    limitation_settings_update,
)

router = Router(tags=["limitation"])

VIEW = "limitation.view_limitationclock"
RECORD = "limitation.add_limitationinterruption"


def _company():
    company = company_default()
    if company is None:
        raise NotFound(_("The company is not set up yet (arms setup)."), field="company")
    return company


@router.get("/claims", response=LimitationClaimPage, summary="Claims by limitation expiry, soonest first")
def claims(request, filters: Query[LimitationClaimFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    return paginate(selectors.claim_list(user=request.user, **filters.model_dump()), limit=page.limit,
                    offset=page.offset)


def _detail(request, invoice_id: int) -> dict[str, Any]:
    invoice = selectors.claim_get(user=request.user, invoice_id=invoice_id)
    state = selectors.limitation_state(invoice)
    return {
        "invoice_id": invoice.pk, "invoice_number": invoice.number, "customer_id": invoice.customer_id,
        "currency": invoice.currency, "due_date": invoice.due_date, "amount_open_minor": invoice.amount_open_minor,
        "start": state.start, "last_interruption": state.last_interruption, "expires_on": state.expires_on,
        "status": state.status, "days_left": state.days_left,
        "write_off_link": selectors.write_off_link(invoice) if state.status == ClockStatus.EXPIRED else "",
        "chain": list(selectors.interruption_chain(invoice)),
    }


@router.get("/claims/{invoice_id}", response=LimitationClaimDetailOut,
            summary="One claim: start, each interruption with its evidence, expiry")
def claim(request, invoice_id: int):
    require_perm(request, VIEW)
    return _detail(request, invoice_id)


def _customer(request, customer_id: int):
    return selectors.customer_get(user=request.user, customer_id=customer_id)


@router.post("/interruptions", response={201: list[LimitationInterruptionOut]},
             summary="Record an interruption on a customer's invoices (all its open ones when none are named)")
def interruption_create(request, payload: LimitationInterruptionIn):
    require_perm(request, RECORD)
    rows = interruption_record_for_customer(
        actor=request.user, customer=_customer(request, payload.customer_id), invoice_ids=payload.invoice_ids,
        kind=payload.kind, on=payload.date, note=payload.note)
    return Status(201, rows)


def _invoice_ids(text: str) -> list[int]:
    """The form's comma-separated ids, each a valid id (a 19,999-digit "id" is refused, not a 500)."""
    parts = [part for part in text.replace(" ", "").split(",") if part]
    if any(len(part) > len(str(MAX_ID)) or not 1 <= int(part) <= MAX_ID for part in parts):
        raise ValidationFailed(_("Give invoice ids separated by commas."), field="invoice_ids")
    return [int(part) for part in parts]


@router.post("/interruptions/upload", response={201: list[LimitationInterruptionOut]},
             summary="Record an interruption with its evidence file (multipart: the fields and `file`)")
def interruption_upload(request, payload: Form[LimitationInterruptionForm], file: File[UploadedFile]):
    require_perm(request, RECORD)
    upload_check(file, field="file")
    ids = _invoice_ids(payload.invoice_ids)
    rows = interruption_record_for_customer(
        actor=request.user, customer=_customer(request, payload.customer_id), invoice_ids=ids, kind=payload.kind,
        on=payload.date, note=payload.note, evidence_bytes=file.read(), evidence_name=file.name or "evidence")
    return Status(201, rows)


@router.get("/interruptions/{interruption_id}/evidence", response={200: None}, summary="The evidence file")
def interruption_evidence(request, interruption_id: int):
    require_perm(request, VIEW)
    row = selectors.interruption_get(user=request.user, interruption_id=interruption_id)
    if row.evidence is None:
        raise NotFound(_("No evidence file."), field="interruption_id")
    return file_response(row.evidence.content, filename=row.evidence_name or "evidence",
                         content_type=row.evidence.content_type, sha256=row.evidence.sha256)


@router.post("/refresh", response={**ACCEPTED}, summary="Collect interruptions and recompute every clock (a job)")
def refresh(request):
    require_perm(request, RECORD)
    job, _created = refresh_job_start(company=_company(), actor=request.user)
    return job_accepted(request, job)


@router.get("/settings", response=LimitationSettingsOut, summary="The limitation period and the alert days")
def settings_get(request):
    require_perm(request, VIEW)
    return limitation_settings_for(_company())


@router.put("/settings", response=LimitationSettingsOut, summary="Change the limitation period and the alert days")
def settings_put(request, payload: LimitationSettingsIn):
    require_perm(request, "limitation.change_limitationsettings")
    return limitation_settings_update(company=_company(), actor=request.user, **payload.model_dump())
