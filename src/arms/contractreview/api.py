"""/api/v1/contracts/{id}/review, /submit, /review/steps/{kind}, /sign, /milestones/{n}/event, /performance;
/api/v1/contracts/attention (expiring or due for review) and /review/settings. A contract is visible exactly when
its customer is."""

from __future__ import annotations

from dataclasses import asdict

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from arms.common.access import require_perm
from arms.common.api_types import inline_choices
from arms.common.errors import NotFound, ValidationFailed
from arms.common.pagination import PageParams, paginate
from arms.contractreview import selectors, services
from arms.contractreview.enums import StepKind
from arms.contractreview.schemas import (
    AttentionFilters,
    AttentionPage,
    MilestoneEventIn,
    PerformanceOut,
    ReviewDecisionIn,
    ReviewOut,
    RoundOut,
    SettingsIn,
    SettingsOut,
    SignIn,
)
from arms.contracts.models import Contract
from arms.contracts.services import contract_milestone_event, contract_sign
from arms.customers.models import Company
from arms.customers.selectors import company_default

router = Router(tags=["contracts"])


def _company() -> Company:
    company = company_default()
    if company is None:
        raise NotFound(_("The company is not set up yet."))
    return company


def _contract(user, contract_id: int) -> Contract:
    contract = selectors.contracts_visible_to(user).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound(_("Contract %(id)s not found.") % {"id": contract_id}, field="contract_id")
    return contract


def _review(contract: Contract) -> dict:
    return {"contract_id": contract.pk, "status": contract.status,
            "clauses_now": {str(k): v for k, v in services.clause_checklist(contract).items()},
            "rounds": selectors.review_rounds(contract)}


@router.get("/{contract_id}/review", response=ReviewOut, summary="A contract's review: every round and its steps")
def review_get(request, contract_id: int):
    require_perm(request, "contractreview.view_contractreview")
    return _review(_contract(request.user, contract_id))


@router.post("/{contract_id}/submit", response={201: RoundOut}, summary="Submit a draft contract for review")
def review_submit(request, contract_id: int):
    require_perm(request, "contractreview.add_contractreview")
    review = services.review_submit(actor=request.user, contract=_contract(request.user, contract_id))
    return 201, selectors.review_rounds(review.contract)[0]


@router.post("/{contract_id}/review/steps/{kind}", response=ReviewOut,
             summary="Approve, return or reject the next step of a contract's review")
def review_decide(request, contract_id: int, kind: inline_choices(StepKind), payload: ReviewDecisionIn):
    require_perm(request, "contractreview.view_contractreview")
    contract = _contract(request.user, contract_id)
    services.review_decide(actor=request.user, contract=contract, kind=kind, decision=payload.decision,
                           comment=payload.comment, confirmed=list(payload.confirmed))
    return _review(_contract(request.user, contract_id))


@router.post("/{contract_id}/sign", response=ReviewOut, summary="Sign an approved contract (it becomes active)")
def sign(request, contract_id: int, payload: SignIn):
    require_perm(request, "contracts.sign_contract")
    contract_sign(actor=request.user, contract=_contract(request.user, contract_id), signed_date=payload.signed_date)
    return _review(_contract(request.user, contract_id))


@router.post("/{contract_id}/milestones/{sequence}/event", response=PerformanceOut,
             summary="Record when a milestone was delivered or accepted")
def milestone_event(request, contract_id: int, sequence: int, payload: MilestoneEventIn):
    require_perm(request, "contracts.change_contract")
    contract = contract_milestone_event(actor=request.user, contract=_contract(request.user, contract_id),
                                        sequence=sequence, event_date=payload.event_date)
    return _performance(contract)


def _performance(contract: Contract) -> dict:
    perf = selectors.contract_performance(contract, today=timezone.localdate())
    deposit = perf.deposit
    return {"contract_id": contract.pk, "currency": perf.currency, "amount_minor": perf.amount_minor,
            "invoiced_minor": perf.invoiced_minor, "paid_minor": perf.paid_minor, "open_minor": perf.open_minor,
            "overdue_minor": perf.overdue_minor, "uninvoiced_minor": perf.uninvoiced_minor,
            "delivered_minor": perf.delivered_minor,
            "deposit_required_minor": deposit[0] if deposit else None,
            "deposit_received_minor": deposit[1] if deposit else None,
            "milestones": [asdict(m) for m in perf.milestones]}


@router.get("/{contract_id}/performance", response=PerformanceOut,
            summary="Milestones, delivered, invoiced, paid, overdue and the lag from delivery to invoice")
def performance(request, contract_id: int):
    require_perm(request, "contracts.view_contract")
    return _performance(_contract(request.user, contract_id))


@router.get("/attention/list", response=AttentionPage,
            summary="Active contracts ending or due for review within the company's reminder days")
def attention(request, page: Query[PageParams], filters: Query[AttentionFilters]):
    days = filters.days
    require_perm(request, "contracts.view_contract")
    today = timezone.localdate()
    horizon = days if days is not None else services.review_settings(_company()).reminder_days
    if not 0 <= horizon <= 3650:
        raise ValidationFailed(_("Days are 0 to 3650."), field="days")
    qs = selectors.with_figures(selectors.due_for_attention(selectors.contracts_visible_to(request.user),
                                                            today=today, days=horizon), today=today)
    page_data = paginate(qs.order_by("end_date", "number"), limit=page.limit, offset=page.offset)
    page_data["items"] = [
        {"id": c.pk, "number": c.number, "customer_id": c.customer_id, "customer_name": c.customer.name,
         "end_date": c.end_date, "review_date": c.review_date, "currency": c.currency,
         "amount_minor": c.amount_minor, **selectors.figures_row(c)} for c in page_data["items"]]
    return page_data


def _settings_out(obj) -> dict:
    return {"legal_from_minor": obj.legal_from_minor, "finance_from_minor": obj.finance_from_minor,
            "guarantee_from_minor": obj.guarantee_from_minor, "reminder_days": obj.reminder_days}


@router.get("/review/settings", response=SettingsOut, summary="The amounts from which legal, finance and a "
                                                               "guarantee are required; reminder days")
def settings_get(request):
    require_perm(request, "contractreview.view_contractreviewsettings")
    return _settings_out(services.review_settings(_company()))


@router.put("/review/settings", response=SettingsOut, summary="Change the contract review settings")
def settings_put(request, payload: SettingsIn):
    require_perm(request, "contractreview.change_contractreviewsettings")
    obj = services.review_settings_set(actor=request.user, company=_company(),
                                       **payload.model_dump())
    return _settings_out(obj)
