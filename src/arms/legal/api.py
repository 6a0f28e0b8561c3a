"""REST API of legal, mounted at /api/v1/legal.

    GET  /letters?status=awaiting         lawyer's letter drafts for review (approved, rejected; empty: all)
    GET  /letters/{id}, /letters/{id}/pdf  one draft; the letter as it would be issued (PDF)
    POST /letters/{id}/approve|reject|resubmit  {"note"}   legal's decision (never on a draft you triggered)
    GET  /settings, PUT /settings         who issues lawyer's letters (a law firm or our legal department)
    GET  /cases, POST /cases, GET /cases/{id}
    POST /cases/{id}/file {"filed_on", "case_number"}      filing interrupts the claims' limitation periods
    POST /cases/{id}/status|preservation|judgment|enforcement|hearings|costs
    GET  /agencies, POST /agencies, POST /agencies/{id}/end
    GET  /settlements, POST /settlements, POST /settlements/{id}/approve|reject
    GET  /assets, POST /assets, GET /assets/stale

    curl -H "Authorization: Bearer $TOKEN" -X POST -H "Content-Type: application/json" -d '{"note": "同意"}' \
        "$ARMS/api/v1/legal/letters/42/approve"
"""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router, Status

from arms.common.access import require_perm
from arms.common.errors import NotFound, ValidationFailed
from arms.common.files import file_response
from arms.common.pagination import PageParams, paginate
from arms.customers.models import Customer
from arms.customers.selectors import company_default, customers_visible_to
from arms.dunning import documents
from arms.dunning.services.reviews import letter_approve_and_send, letter_reject, letter_resubmit
from arms.ledger.models import Invoice
from arms.legal import selectors, services
from arms.legal.models import LegalCase
from arms.legal.schemas import (
    LegalAssetFilters,
    LegalAssetIn,
    LegalAssetOut,
    LegalAssetPage,
    LegalCaseDetailOut,
    LegalCaseFileIn,
    LegalCaseFilters,
    LegalCaseIn,
    LegalCasePage,
    LegalCaseStatusIn,
    LegalCostIn,
    LegalCostOut,
    LegalEnforcementIn,
    LegalHearingIn,
    LegalHearingOut,
    LegalJudgmentIn,
    LegalLetterFilters,
    LegalLetterOut,
    LegalLetterPage,
    LegalMandateEndIn,
    LegalMandateFilters,
    LegalMandateIn,
    LegalMandateOut,
    LegalMandatePage,
    LegalPreservationIn,
    LegalReviewIn,
    LegalSettingsIn,
    LegalSettingsOut,
    LegalSettlementFilters,
    LegalSettlementIn,
    LegalSettlementOut,
    LegalSettlementPage,
    LegalStaleOut,
)
from arms.legal.services.assets import stale_assets

router = Router(tags=["legal"])

VIEW_CASE = "legal.view_legalcase"
CHANGE_CASE = "legal.change_legalcase"


def _company():
    company = company_default()
    if company is None:
        raise NotFound("no company")
    return company


def _customer(request, customer_id: int) -> Customer:
    found = customers_visible_to(request.user).filter(pk=customer_id).first()
    if found is None:
        raise ValidationFailed("no such customer", field="customer_id")
    return found


def _case(request, case_id: int) -> LegalCase:
    return selectors.case_get(user=request.user, case_id=case_id)


# lawyer's letters ------------------------------------------------------------------------------------------


@router.get("/letters", response=LegalLetterPage, summary="Lawyer's letter drafts for legal's review")
def letter_list(request, filters: Query[LegalLetterFilters], page: Query[PageParams]):
    require_perm(request, "dunning.view_lawyer_letter")
    return paginate(selectors.letter_queue(user=request.user, status=filters.status or ""),
                    limit=page.limit, offset=page.offset)


@router.get("/letters/{action_id}", response=LegalLetterOut, summary="One lawyer's letter draft")
def letter_detail(request, action_id: int):
    require_perm(request, "dunning.view_lawyer_letter")
    return selectors.letter_get(user=request.user, action_id=action_id)


@router.get("/letters/{action_id}/pdf", summary="The letter as issued, or the draft as it would be issued (PDF)")
def letter_pdf(request, action_id: int):
    require_perm(request, "dunning.view_lawyer_letter")
    action = selectors.letter_get(user=request.user, action_id=action_id)
    return file_response(documents.stored_or_rendered(action, "letter"),
                         filename=documents.file_names(action)["letter"], content_type="application/pdf")


@router.post("/letters/{action_id}/approve", response=LegalLetterOut, summary="Approve a draft: it is issued and sent")
def letter_approve(request, action_id: int, payload: LegalReviewIn):
    require_perm(request, "dunning.review_lawyer_letter")
    selectors.letter_get(user=request.user, action_id=action_id)
    letter_approve_and_send(actor=request.user, action_id=action_id, note=payload.note)
    return selectors.letter_get(user=request.user, action_id=action_id)


@router.post("/letters/{action_id}/reject", response=LegalLetterOut, summary="Reject a draft with a comment")
def letter_reject_endpoint(request, action_id: int, payload: LegalReviewIn):
    require_perm(request, "dunning.review_lawyer_letter")
    selectors.letter_get(user=request.user, action_id=action_id)
    return letter_reject(actor=request.user, action_id=action_id, note=payload.note)


@router.post("/letters/{action_id}/resubmit", response=LegalLetterOut,
             summary="Put a rejected draft before legal again")
def letter_resubmit_endpoint(request, action_id: int, payload: LegalReviewIn):
    require_perm(request, "dunning.add_dunningrun")
    selectors.letter_get(user=request.user, action_id=action_id)
    return letter_resubmit(actor=request.user, action_id=action_id, note=payload.note)


# settings --------------------------------------------------------------------------------------------------


@router.get("/settings", response=LegalSettingsOut, summary="Who issues lawyer's letters; asset refresh days")
def settings_get(request):
    require_perm(request, "legal.view_legalsettings")
    return services.legal_settings_for(_company())


@router.put("/settings", response=LegalSettingsOut, summary="Change the legal settings")
def settings_put(request, payload: LegalSettingsIn):
    require_perm(request, "legal.manage_legal_settings")
    return services.legal_settings_update(actor=request.user, company=_company(), **payload.dict())


# cases -----------------------------------------------------------------------------------------------------


@router.get("/cases", response=LegalCasePage, summary="Legal cases, newest first")
def case_list(request, filters: Query[LegalCaseFilters], page: Query[PageParams]):
    require_perm(request, VIEW_CASE)
    qs = selectors.case_list(user=request.user, status=filters.status or "", customer_id=filters.customer_id,
                             open_only=filters.open, search=filters.search)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("/cases", response={201: LegalCaseDetailOut}, summary="Open a case (in preparation)")
def case_create(request, payload: LegalCaseIn):
    require_perm(request, "legal.add_legalcase")
    case = services.case_open(actor=request.user, customer=_customer(request, payload.customer_id),
                              kind=payload.kind, forum=payload.forum, invoice_ids=payload.invoice_ids,
                              claim_minor=payload.claim_minor, note=payload.note)
    return Status(201, _case(request, case.pk))


@router.get("/cases/{case_id}", response=LegalCaseDetailOut, summary="One case with hearings and costs")
def case_detail(request, case_id: int):
    require_perm(request, VIEW_CASE)
    return _case(request, case_id)


@router.post("/cases/{case_id}/file", response=LegalCaseDetailOut, summary="Record the court filing")
def case_file(request, case_id: int, payload: LegalCaseFileIn):
    require_perm(request, CHANGE_CASE)
    services.case_file(actor=request.user, case=_case(request, case_id), filed_on=payload.filed_on,
                       case_number=payload.case_number)
    return _case(request, case_id)


@router.post("/cases/{case_id}/status", response=LegalCaseDetailOut, summary="Move the case to its next status")
def case_status(request, case_id: int, payload: LegalCaseStatusIn):
    require_perm(request, CHANGE_CASE)
    services.case_status_set(actor=request.user, case=_case(request, case_id), status=payload.status)
    return _case(request, case_id)


@router.post("/cases/{case_id}/preservation", response=LegalCaseDetailOut, summary="Property preservation (财产保全)")
def case_preservation(request, case_id: int, payload: LegalPreservationIn):
    require_perm(request, CHANGE_CASE)
    services.case_preservation(actor=request.user, case=_case(request, case_id), **payload.dict())
    return _case(request, case_id)


@router.post("/cases/{case_id}/judgment", response=LegalCaseDetailOut, summary="The judgment or award")
def case_judgment(request, case_id: int, payload: LegalJudgmentIn):
    require_perm(request, CHANGE_CASE)
    services.case_judgment(actor=request.user, case=_case(request, case_id), **payload.dict())
    return _case(request, case_id)


@router.post("/cases/{case_id}/enforcement", response=LegalCaseDetailOut, summary="Enforcement")
def case_enforcement(request, case_id: int, payload: LegalEnforcementIn):
    require_perm(request, CHANGE_CASE)
    services.case_enforcement(actor=request.user, case=_case(request, case_id), **payload.dict())
    return _case(request, case_id)


@router.post("/cases/{case_id}/hearings", response={201: LegalHearingOut}, summary="Record a hearing")
def case_hearing(request, case_id: int, payload: LegalHearingIn):
    require_perm(request, "legal.add_hearing")
    return Status(201, services.hearing_record(actor=request.user, case=_case(request, case_id), **payload.dict()))


@router.post("/cases/{case_id}/costs", response={201: LegalCostOut}, summary="Record a cost (CNY)")
def case_cost(request, case_id: int, payload: LegalCostIn):
    require_perm(request, "legal.add_casecost")
    return Status(201, services.cost_record(actor=request.user, case=_case(request, case_id), **payload.dict()))


# agencies --------------------------------------------------------------------------------------------------


@router.get("/agencies", response=LegalMandatePage, summary="Collection agency mandates with collections and fees")
def mandate_list(request, filters: Query[LegalMandateFilters], page: Query[PageParams]):
    require_perm(request, "legal.view_agencymandate")
    qs = selectors.mandate_list(user=request.user, customer_id=filters.customer_id, status=filters.status or "")
    return paginate(qs, limit=page.limit, offset=page.offset)


def _mandate(request, mandate_id: int):
    found = selectors.mandate_list(user=request.user).filter(pk=mandate_id).first()
    if found is None:
        raise NotFound("no such mandate")
    return found


@router.post("/agencies", response={201: LegalMandateOut}, summary="Hand claims to a collection agency")
def mandate_create(request, payload: LegalMandateIn):
    require_perm(request, "legal.add_agencymandate")
    data = payload.dict()
    customer = _customer(request, data.pop("customer_id"))
    mandate = services.mandate_create(actor=request.user, customer=customer, **data)
    return Status(201, _mandate(request, mandate.pk))


@router.post("/agencies/{mandate_id}/end", response=LegalMandateOut, summary="End a mandate")
def mandate_end(request, mandate_id: int, payload: LegalMandateEndIn):
    require_perm(request, "legal.change_agencymandate")
    services.mandate_end(actor=request.user, mandate=_mandate(request, mandate_id), **payload.dict())
    return _mandate(request, mandate_id)


# settlements -----------------------------------------------------------------------------------------------


def _settlement(request, settlement_id: int):
    found = selectors.settlement_list(user=request.user).filter(pk=settlement_id).first()
    if found is None:
        raise NotFound("no such settlement")
    return found


@router.get("/settlements", response=LegalSettlementPage, summary="Settlement agreements")
def settlement_list(request, filters: Query[LegalSettlementFilters], page: Query[PageParams]):
    require_perm(request, "legal.view_settlement")
    qs = selectors.settlement_list(user=request.user, status=filters.status or "", customer_id=filters.customer_id)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("/settlements", response={201: LegalSettlementOut},
             summary="Ask for a settlement (waive interest, penalty)")
def settlement_create(request, payload: LegalSettlementIn):
    require_perm(request, "legal.add_settlement")
    invoice = Invoice.objects.filter(pk=payload.invoice_id,
                                     customer__in=customers_visible_to(request.user)).first()
    if invoice is None:
        raise ValidationFailed("no such invoice", field="invoice_id")
    case = _case(request, payload.case_id) if payload.case_id else None
    settlement = services.settlement_request(
        actor=request.user, invoice=invoice, case=case, terms=payload.terms,
        waived_interest_minor=payload.waived_interest_minor, waived_penalty_minor=payload.waived_penalty_minor,
        waived_principal_minor=payload.waived_principal_minor)
    return Status(201, settlement)


@router.post("/settlements/{settlement_id}/approve", response=LegalSettlementOut, summary="Approve (four eyes)")
def settlement_approve(request, settlement_id: int, payload: LegalReviewIn):
    require_perm(request, "legal.approve_settlement")
    return services.settlement_approve(actor=request.user, settlement=_settlement(request, settlement_id),
                                       note=payload.note)


@router.post("/settlements/{settlement_id}/reject", response=LegalSettlementOut, summary="Reject with a reason")
def settlement_reject(request, settlement_id: int, payload: LegalReviewIn):
    require_perm(request, "legal.approve_settlement")
    return services.settlement_reject(actor=request.user, settlement=_settlement(request, settlement_id),
                                      note=payload.note)


# debtor assets ---------------------------------------------------------------------------------------------


@router.get("/assets", response=LegalAssetPage, summary="The debtor asset register")
def asset_list(request, filters: Query[LegalAssetFilters], page: Query[PageParams]):
    require_perm(request, "legal.view_debtorasset")
    qs = selectors.asset_list(user=request.user, customer_id=filters.customer_id, kind=filters.kind or "")
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("/assets", response={201: LegalAssetOut}, summary="Record a fact about a debtor's asset")
def asset_create(request, payload: LegalAssetIn):
    require_perm(request, "legal.add_debtorasset")
    data = payload.dict()
    customer = _customer(request, data.pop("customer_id"))
    return Status(201, services.asset_record(actor=request.user, customer=customer, **data))


@router.get("/assets/stale", response=list[LegalStaleOut],
            summary="Customers in a legal stage whose asset facts are stale")
def asset_stale(request):
    require_perm(request, "legal.view_debtorasset")
    days = services.legal_settings_for(_company()).asset_refresh_days
    visible = customers_visible_to(request.user)
    return [LegalStaleOut(customer_id=c.pk, customer_name=c.name, newest_fact=c.newest_fact)
            for c in stale_assets(as_of=timezone.localdate(), refresh_days=days).filter(pk__in=visible)[:500]]
