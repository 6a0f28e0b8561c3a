"""REST API of balance confirmations (对账确认函), mounted at /api/v1/confirmations.

    POST /runs                                   start (or continue) the run for a month {period: "YYYY-MM"}
    GET  /runs, /runs/{id}                       runs with their letters counted by status
    POST /runs/{id}/send                         e-mail every prepared letter of the run
    GET  /?run_id=&period_end=&status=&customer_id=&search=   confirmations, paginated
    GET  /{id}                                   one, with its figures (snapshot), dispatches and differences
    GET  /{id}/pdf, /{id}/xlsx                   the letter
    GET  /{id}/scan                              the signed and sealed reply
    POST /{id}/send                              e-mail it (PDF attached, portal link)
    POST /{id}/dispatches                        record a postal dispatch (carrier, tracking number)
    POST /dispatches/{id}/delivered              record the delivery date of a posted letter
    POST /{id}/reply                             record the customer's answer (JSON)
    POST /{id}/reply/scan                        ... with the signed scan (multipart: fields and `file`)
    GET  /differences?status=&overdue=&owner_id=&confirmation_id=&customer_id=
    POST /differences/{id}/resolve               settle a difference
    GET  /settings, PUT /settings                frequencies, reminder and deadline days

Reading needs ``confirmations.view_confirmation``; runs ``add_confirmationrun``; sending and posting
``add_confirmationdispatch``; answers ``reply_confirmation``; settling ``change_confirmationdifference``; the
settings ``manage_confirmation_settings``. A confirmation of a customer the user may not see is 404.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.errors import NotFound, ValidationFailed
from arms.common.files import file_response
from arms.common.jobs import CONTENT_TYPES
from arms.common.pagination import PageParams, paginate
from arms.common.uploads import upload_check
from arms.confirmations import selectors
from arms.confirmations.documents import confirmation_table, file_stem, render_confirmation_pdf
from arms.confirmations.enums import RunStatus
from arms.confirmations.jobs import SEND_INLINE, send_job_start
from arms.confirmations.models import ConfirmationDispatch
from arms.confirmations.schemas import (
    ConfirmationDeliveredIn,
    ConfirmationDetailOut,
    ConfirmationDifferenceFilters,
    ConfirmationDifferenceOut,
    ConfirmationDifferencePage,
    ConfirmationDispatchOut,
    ConfirmationFilters,
    ConfirmationPage,
    ConfirmationPostIn,
    ConfirmationReplyForm,
    ConfirmationReplyIn,
    ConfirmationResolveIn,
    ConfirmationRunIn,
    ConfirmationRunOut,
    ConfirmationRunPage,
    ConfirmationSendOut,
    ConfirmationSettingsIn,
    ConfirmationSettingsOut,
)
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
from arms.customers.models import Contact
from arms.customers.selectors import company_default
from arms.web.exports import xlsx_file

router = Router(tags=["confirmations"])

VIEW = "confirmations.view_confirmation"


def _company():
    company = company_default()
    if company is None:
        raise NotFound(_("The company is not set up yet (arms setup)."), field="company")
    return company


def _run_out(run_id: int):
    return selectors.run_get(run_id)


@router.post("/runs", response={200: ConfirmationRunOut, 201: ConfirmationRunOut, **ACCEPTED},
             summary="Start (or continue) the confirmation run for a month")
def run_create(request, payload: ConfirmationRunIn):
    """Small runs are prepared at once (201 new, 200 existing); a run of more than 100 customers is
    prepared by a background job (202 with the job)."""
    require_perm(request, "confirmations.add_confirmationrun")
    run, created = confirmation_run_start(company=_company(), period_end=period_end_of(payload.period),
                                          actor=request.user)
    if run.status == RunStatus.PREPARING and run.job is not None:
        return job_accepted(request, run.job)
    if payload.send:
        require_perm(request, "confirmations.add_confirmationdispatch")
        pending = selectors.run_get(run.pk)
        if pending.prepared_count > SEND_INLINE:
            job, _created = send_job_start(run=pending, actor=request.user)
            return job_accepted(request, job)
        run_send(run=run, actor=request.user)
    return Status(201 if created else 200, _run_out(run.pk))


@router.get("/runs", response=ConfirmationRunPage, summary="Confirmation runs, newest period first")
def runs(request, page: Query[PageParams]):
    require_perm(request, VIEW)
    return paginate(selectors.run_list(), limit=page.limit, offset=page.offset)


@router.get("/runs/{run_id}", response=ConfirmationRunOut, summary="One run with its letters counted by status")
def run_detail(request, run_id: int):
    require_perm(request, VIEW)
    return _run_out(run_id)


@router.post("/runs/{run_id}/send", response={200: ConfirmationSendOut, **ACCEPTED},
             summary="E-mail every prepared letter of a run")
def run_send_all(request, run_id: int):
    """Up to 5 letters are e-mailed at once (200 with the counts); more by a background job (202)."""
    require_perm(request, "confirmations.add_confirmationdispatch")
    run = selectors.run_get(run_id)
    if run.prepared_count > SEND_INLINE:
        job, _created = send_job_start(run=run, actor=request.user)
        return job_accepted(request, job)
    return Status(200, run_send(run=run, actor=request.user))


@router.get("/differences", response=ConfirmationDifferencePage,
            summary="Differences customers listed, earliest deadline first")
def differences(request, filters: Query[ConfirmationDifferenceFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    data = filters.model_dump()
    data["status"] = data["status"] or ""
    return paginate(selectors.difference_list(user=request.user, **data), limit=page.limit, offset=page.offset)


@router.post("/differences/{difference_id}/resolve", response=ConfirmationDifferenceOut,
             summary="Settle a difference (credit note, corrected invoice, payment applied, rejected)")
def difference_resolve_api(request, difference_id: int, payload: ConfirmationResolveIn):
    require_perm(request, "confirmations.change_confirmationdifference")
    difference = selectors.difference_get(user=request.user, difference_id=difference_id)
    difference_resolve(difference=difference, actor=request.user, **payload.model_dump())
    return selectors.difference_get(user=request.user, difference_id=difference_id)


@router.post("/dispatches/{dispatch_id}/delivered", response=ConfirmationDispatchOut,
             summary="Record the delivery date of a posted letter")
def dispatch_delivered(request, dispatch_id: int, payload: ConfirmationDeliveredIn):
    require_perm(request, "confirmations.add_confirmationdispatch")
    dispatch = ConfirmationDispatch.objects.filter(pk=dispatch_id).select_related("confirmation").first()
    if dispatch is None:
        raise NotFound(_("Dispatch %(id)s not found.") % {"id": dispatch_id}, field="dispatch_id")
    selectors.confirmation_get(user=request.user, confirmation_id=dispatch.confirmation_id)
    return confirmation_delivery_record(dispatch=dispatch, actor=request.user, delivered_on=payload.delivered_on)


@router.get("/settings", response=ConfirmationSettingsOut, summary="How often customers confirm; reminder days")
def settings_get(request):
    require_perm(request, "confirmations.view_confirmationsettings")
    return confirmation_settings_for(_company())


@router.put("/settings", response=ConfirmationSettingsOut, summary="Change the confirmation settings")
def settings_put(request, payload: ConfirmationSettingsIn):
    require_perm(request, "confirmations.manage_confirmation_settings")
    data = payload.model_dump()
    return confirmation_settings_update(company=_company(), actor=request.user, **data)


@router.get("", response=ConfirmationPage, summary="Confirmations, newest period first")
def confirmations(request, filters: Query[ConfirmationFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    data = filters.model_dump()
    data["status"] = data["status"] or ""
    return paginate(selectors.confirmation_list(user=request.user, **data), limit=page.limit, offset=page.offset)


@router.get("/{confirmation_id}", response=ConfirmationDetailOut,
            summary="One confirmation: figures, dispatches, answer, differences")
def confirmation_detail(request, confirmation_id: int):
    require_perm(request, VIEW)
    return selectors.confirmation_get(user=request.user, confirmation_id=confirmation_id)


@router.get("/{confirmation_id}/pdf", response={200: None}, summary="The letter as PDF")
def confirmation_pdf(request, confirmation_id: int):
    require_perm(request, VIEW)
    confirmation = selectors.confirmation_get(user=request.user, confirmation_id=confirmation_id)
    return file_response(render_confirmation_pdf(confirmation), filename=f"{file_stem(confirmation)}.pdf",
                         content_type="application/pdf")


@router.get("/{confirmation_id}/xlsx", response={200: None}, summary="The letter as Excel")
def confirmation_xlsx(request, confirmation_id: int):
    require_perm(request, VIEW)
    confirmation = selectors.confirmation_get(user=request.user, confirmation_id=confirmation_id)
    return file_response(xlsx_file(confirmation_table(confirmation)), filename=f"{file_stem(confirmation)}.xlsx",
                         content_type=CONTENT_TYPES[".xlsx"])


@router.get("/{confirmation_id}/scan", response={200: None}, summary="The signed and sealed reply")
def confirmation_scan(request, confirmation_id: int):
    require_perm(request, VIEW)
    confirmation = selectors.confirmation_get(user=request.user, confirmation_id=confirmation_id)
    if confirmation.scan is None:
        raise NotFound(_("No scan was recorded with this answer."), field="scan")
    return file_response(confirmation.scan.content, filename=confirmation.scan_name,
                         content_type=confirmation.scan.content_type, sha256=confirmation.scan.sha256)


@router.post("/{confirmation_id}/send", response=list[ConfirmationDispatchOut],
             summary="E-mail the letter (PDF attached, a portal link per contact)")
def confirmation_send_api(request, confirmation_id: int):
    require_perm(request, "confirmations.add_confirmationdispatch")
    confirmation = selectors.confirmation_get(user=request.user, confirmation_id=confirmation_id)
    return confirmation_send(confirmation=confirmation, actor=request.user)


@router.post("/{confirmation_id}/dispatches", response={201: ConfirmationDispatchOut},
             summary="Record that the letter was posted (carrier, tracking number)")
def confirmation_post(request, confirmation_id: int, payload: ConfirmationPostIn):
    require_perm(request, "confirmations.add_confirmationdispatch")
    confirmation = selectors.confirmation_get(user=request.user, confirmation_id=confirmation_id)
    return Status(201, confirmation_post_record(confirmation=confirmation, actor=request.user,
                                                **payload.model_dump()))


def _contact(confirmation, contact_id):
    if contact_id is None:
        return None
    contact = Contact.objects.filter(pk=contact_id, customer_id=confirmation.customer_id).first()
    if contact is None:
        raise ValidationFailed(_("The contact is not one of this customer's."), field="contact_id")
    return contact


@router.post("/{confirmation_id}/reply", response=ConfirmationDetailOut,
             summary="Record the customer's answer: confirmed, or disputed with the differences")
def confirmation_reply_api(request, confirmation_id: int, payload: ConfirmationReplyIn):
    require_perm(request, "confirmations.reply_confirmation")
    confirmation = selectors.confirmation_get(user=request.user, confirmation_id=confirmation_id)
    confirmation_reply(confirmation=confirmation, actor=request.user, answer=payload.answer,
                       channel=payload.channel, note=payload.note,
                       contact=_contact(confirmation, payload.contact_id),
                       differences=[d.model_dump() for d in payload.differences])
    return selectors.confirmation_get(user=request.user, confirmation_id=confirmation_id)


@router.post("/{confirmation_id}/reply/scan", response=ConfirmationDetailOut,
             summary="Record the answer with the signed and sealed scan (multipart: the fields and `file`)")
def confirmation_reply_scan(request, confirmation_id: int, payload: Form[ConfirmationReplyForm],
                            file: File[UploadedFile]):
    require_perm(request, "confirmations.reply_confirmation")
    confirmation = selectors.confirmation_get(user=request.user, confirmation_id=confirmation_id)
    upload_check(file, field="file")
    try:
        differences = json.loads(payload.differences or "[]")
    except (ValueError, RecursionError):
        raise ValidationFailed(_("The differences are not a JSON array."), field="differences") from None
    confirmation_reply(confirmation=confirmation, actor=request.user, answer=payload.answer,
                       channel=payload.channel, note=payload.note, scan=file,
                       contact=_contact(confirmation, payload.contact_id), differences=differences)
    return selectors.confirmation_get(user=request.user, confirmation_id=confirmation_id)
