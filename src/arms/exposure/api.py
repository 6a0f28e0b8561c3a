"""/api/v1/credit: the credit check an ERP asks before confirming an order, a customer's exposure, credit holds
and credit overrides. Mounted beside the credit app's router under the same prefix (one credit API for ERPs).

A plain ``POST /check`` reads without locking (no document is written, so the answer is advice that may be
stale a moment later); with ``"confirm": true`` it runs under the customer's row lock and consumes an
approved override that fits a blocked order. Invoices and contracts are checked by the ledger and contracts
themselves, under the lock, when they are posted (a block is a 409 ``credit_blocked`` with the reasons).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from arms.common.access import require_perm
from arms.common.errors import NotFound
from arms.common.pagination import PageParams, paginate
from arms.contracts.models import Contract
from arms.customers.selectors import company_default, customer_get
from arms.exposure import selectors, services
from arms.exposure.schemas import (
    CreditCheckIn,
    CreditCheckOut,
    CreditSettingsIn,
    CreditSettingsOut,
    ExposureNoteIn,
    ExposureOut,
    HoldFilters,
    HoldIn,
    HoldOut,
    HoldPage,
    OverrideApproveIn,
    OverrideFilters,
    OverrideIn,
    OverrideOut,
    OverridePage,
    check_out,
    exposure_out,
)

router = Router(tags=["Credit exposure and holds"])


def _company_id() -> int:
    company = company_default()
    if company is None:
        raise NotFound(_("The company is not set up yet (arms setup)."), field="company")
    return company.pk


def _hold(request, hold_id: int):
    hold = selectors.hold_list(user=request.user).filter(pk=hold_id).first()
    if hold is None:
        raise NotFound(_("Credit hold %(id)s not found.") % {"id": hold_id}, field="hold_id")
    return hold


def _override(request, override_id: int):
    override = selectors.override_list(user=request.user).filter(pk=override_id).first()
    if override is None:
        raise NotFound(_("Credit override %(id)s not found.") % {"id": override_id}, field="override_id")
    return override


@router.post("/check", response=CreditCheckOut, summary="Credit check before confirming an order: allow, warn "
                                                        "or block, with the reasons and exposure, limit, available")
def credit_check(request, payload: CreditCheckIn):
    require_perm(request, "exposure.check_credit")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    contract = None
    if payload.contract_id is not None:
        contract = Contract.objects.filter(customer=customer, pk=payload.contract_id).first()
        if contract is None:
            raise NotFound(_("Contract %(id)s not found.") % {"id": payload.contract_id}, field="contract_id")
    arguments = {"customer": customer, "amount_minor": payload.amount_minor,
                 "currency": payload.currency or customer.currency, "document_kind": payload.document_kind,
                 "document_ref": payload.reference, "user": request.user, "contract": contract,
                 "payment_terms_days": payload.payment_terms_days}
    if payload.confirm:
        require_perm(request, "exposure.add_creditoverride")
        result = services.credit_check_confirm(**arguments)
    else:
        result = services.credit_check(lock=False, **arguments)
    return check_out(result)


@router.get("/exposure/{customer_id}", response=ExposureOut,
            summary="A customer's exposure by component, its limit and what is available")
def exposure_get(request, customer_id: int):
    require_perm(request, "exposure.check_credit")
    customer = customer_get(user=request.user, customer_id=customer_id)
    profile = selectors.credit_profile_of(customer)
    breakdown = selectors.exposure_breakdown(customer, profile=profile)
    return exposure_out(breakdown, grade=getattr(profile, "grade", "") or "",
                        active_holds=selectors.holds_active(customer).count())


# ---------------------------------------------------------------- holds


@router.get("/holds", response=HoldPage, summary="Credit holds, newest first")
def hold_list(request, filters: Query[HoldFilters], page: Query[PageParams]):
    require_perm(request, "exposure.view_credithold")
    qs = selectors.hold_list(user=request.user, customer_id=filters.customer_id, active=filters.active,
                             reason_code=filters.reason_code or "")
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.get("/holds/{hold_id}", response=HoldOut, summary="One credit hold")
def hold_get(request, hold_id: int):
    require_perm(request, "exposure.view_credithold")
    return _hold(request, hold_id)


@router.post("/holds", response={200: HoldOut, 201: HoldOut},
             summary="Place a hold: every new document of the customer is blocked until released "
                     "(201; 200 with the active hold when the same hold is already in place)")
def hold_place(request, payload: HoldIn):
    require_perm(request, "exposure.add_credithold")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    before = set(selectors.holds_active(customer).values_list("pk", flat=True))
    hold = services.hold_place(customer=customer, reason_code=payload.reason_code, note=payload.note,
                               source_ref=payload.source_ref, actor=request.user)
    return Status(200 if hold.pk in before else 201, _hold(request, hold.pk))


@router.post("/holds/{hold_id}/release", response=HoldOut, summary="Release a hold, saying why")
def hold_release(request, hold_id: int, payload: ExposureNoteIn):
    require_perm(request, "exposure.change_credithold")
    hold = services.hold_release(hold=_hold(request, hold_id), actor=request.user, note=payload.note)
    return _hold(request, hold.pk)


# ---------------------------------------------------------------- overrides


@router.get("/overrides", response=OverridePage, summary="Credit overrides, newest first")
def override_list(request, filters: Query[OverrideFilters], page: Query[PageParams]):
    require_perm(request, "exposure.view_creditoverride")
    qs = selectors.override_list(user=request.user, customer_id=filters.customer_id, status=filters.status or "")
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.get("/overrides/{override_id}", response=OverrideOut, summary="One credit override")
def override_get(request, override_id: int):
    require_perm(request, "exposure.view_creditoverride")
    return _override(request, override_id)


@router.post("/overrides", response={201: OverrideOut},
             summary="Request an override: lets one blocked document through once a credit manager approves")
def override_request(request, payload: OverrideIn):
    require_perm(request, "exposure.add_creditoverride")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    override = services.override_request(
        customer=customer, amount_minor=payload.amount_minor, currency=payload.currency or customer.currency,
        reason=payload.reason, actor=request.user, document_kind=payload.document_kind,
        document_ref=payload.document_ref, valid_days=payload.valid_days, terms_days=payload.terms_days,
    )
    return Status(201, _override(request, override.pk))


@router.post("/overrides/{override_id}/approve", response=OverrideOut,
             summary="Approve (a credit manager who did not request it); valid for valid_days from now")
def override_approve(request, override_id: int, payload: OverrideApproveIn):
    require_perm(request, "exposure.approve_creditoverride")
    override = services.override_approve(override=_override(request, override_id), actor=request.user,
                                         note=payload.note, valid_days=payload.valid_days)
    return _override(request, override.pk)


@router.post("/overrides/{override_id}/reject", response=OverrideOut,
             summary="Reject (a credit manager who did not request it), saying why")
def override_reject(request, override_id: int, payload: ExposureNoteIn):
    require_perm(request, "exposure.approve_creditoverride")
    override = services.override_reject(override=_override(request, override_id), actor=request.user,
                                        note=payload.note)
    return _override(request, override.pk)


@router.get("/settings", response=CreditSettingsOut,
            summary="The company's credit-control settings: the unrated policy and the guarantee expiry warning")
def credit_settings_get(request):
    require_perm(request, "exposure.view_creditcontrolsettings")
    return selectors.control_settings(_company_id())


@router.put("/settings", response=CreditSettingsOut, summary="Change the credit-control settings (credit manager)")
def credit_settings_put(request, payload: CreditSettingsIn):
    require_perm(request, "exposure.change_creditcontrolsettings")
    return services.control_settings_update(company_id=_company_id(), actor=request.user,
                                            **payload.model_dump())
