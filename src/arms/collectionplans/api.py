"""REST API of collection plans (收款计划), mounted at /api/v1/collection-plans.

    GET   ""                       the plans the caller may see (``status``, ``owner_id``, ``customer_id``,
                                   ``search``; limit/offset)
    POST  ""                       draft one: ``customer_id``, ``contract_id``?, ``draft_from`` (contract |
                                   customer | lines), ``lines``? [{expected_date, amount_minor, description,
                                   currency?}], ``currency``?, ``owner_id``?, ``note``?
    GET   /variance                the variance per owner of a month (``month`` YYYY-MM, ``owner_id``; limit/offset)
    GET   /{id}                    one plan with its lines, their tracking and the months
    PUT   /{id}/lines              replace a draft's lines (``lines``, ``note``?)
    POST  /{id}/submit             the owner submits it for approval
    POST  /{id}/approve            a finance manager who did not submit it approves (``comment``?)
    POST  /{id}/return             ... or returns it to draft (``comment``)
    POST  /{id}/cancel             cancel it (``reason``?)
    POST  /{id}/close              close an approved plan (``reason``?)

    curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
        -d '{"customer_id": 12, "contract_id": 7, "draft_from": "contract"}' "$ARMS/api/v1/collection-plans"
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from arms.collectionplans import selectors, services
from arms.collectionplans.enums import LineKind, PlanStatus
from arms.collectionplans.models import MAX_LINE_TEXT
from arms.common.access import require_perm
from arms.common.api_types import (
    DocumentDate,
    InputSchema,
    MinorAmount,
    ObjectId,
    QuerySchema,
    SearchText,
    formatted_money,
    inline_choices,
    money_text,
    username_of,
)
from arms.common.bounds import MAX_NOTE
from arms.common.errors import NotFound, ValidationFailed
from arms.common.pagination import MAX_LIMIT, PageParams, paginate
from arms.contracts.models import Contract
from arms.customers.selectors import customer_get

router = Router(tags=["collection-plans"])

VIEW = "collectionplans.view_collectionplan"
DRAFT = "collectionplans.add_collectionplan"
CHANGE = "collectionplans.change_collectionplan"


class CollectionPlanFilters(QuerySchema):
    status: inline_choices(PlanStatus) | None = None  # type: ignore[valid-type]
    owner_id: ObjectId | None = None
    customer_id: ObjectId | None = None
    search: SearchText = ""


class CollectionPlanLineIn(InputSchema):
    expected_date: DocumentDate
    amount_minor: MinorAmount = Field(description="Expected amount, the plan's currency minor units; more than 0.")
    description: str = Field("", max_length=MAX_LINE_TEXT)
    kind: inline_choices(LineKind) = LineKind.OTHER  # type: ignore[valid-type]
    milestone_id: ObjectId | None = None
    invoice_id: ObjectId | None = None
    currency: str | None = Field(None, max_length=3, description="When given, must be the plan's currency.")


class CollectionPlanCreateIn(InputSchema):
    customer_id: ObjectId
    contract_id: ObjectId | None = None
    draft_from: Literal["contract", "customer", "lines"] = Field(
        "lines", description="contract: from the contract's schedule; customer: from its open invoices; "
                             "lines: the lines given.")
    lines: list[CollectionPlanLineIn] = Field([], max_length=services.MAX_LINES)
    currency: str | None = Field(None, max_length=3)
    owner_id: ObjectId | None = None
    note: str = Field("", max_length=MAX_NOTE)


class CollectionPlanLinesIn(InputSchema):
    lines: list[CollectionPlanLineIn] = Field(max_length=services.MAX_LINES)
    note: str | None = Field(None, max_length=MAX_NOTE)


class CollectionPlanDecisionIn(InputSchema):
    comment: str = Field("", max_length=MAX_NOTE)


class CollectionPlanEndIn(InputSchema):
    reason: str = Field("", max_length=MAX_NOTE)


class CollectionPlanVarianceFilters(QuerySchema):
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; this month unless given.")
    owner_id: ObjectId | None = None


class CollectionPlanOut(Schema):
    id: int
    number: str
    customer_id: int
    contract_id: int | None
    owner_id: int
    owner: str | None = None
    currency: str
    status: str
    counts_from: date
    note: str
    total_minor: int = 0
    total: str | None = None
    created_at: datetime
    submitted_at: datetime | None
    submitted_by: str | None = None
    decided_at: datetime | None
    decided_by: str | None = None
    decision_note: str

    resolve_owner = username_of("owner")
    resolve_submitted_by = username_of("submitted_by")
    resolve_decided_by = username_of("decided_by")
    resolve_total = formatted_money("total_minor")


class CollectionPlanLineTrackOut(Schema):
    id: int
    expected_date: date
    amount_minor: int
    kind: str
    milestone_id: int | None
    invoice_id: int | None
    description: str
    covered_minor: int
    state: str = Field(description="covered | partly | behind | upcoming")


class CollectionPlanMonthOut(Schema):
    month: str
    expected_minor: int
    received_minor: int
    variance_minor: int


class CollectionPlanDetailOut(CollectionPlanOut):
    received_minor: int
    variance_minor: int
    behind: bool
    lines: list[CollectionPlanLineTrackOut]
    months: list[CollectionPlanMonthOut]


class CollectionPlanPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CollectionPlanOut]


class CollectionPlanVarianceOut(Schema):
    owner_id: int
    owner: str
    currency: str
    plans: int
    planned_minor: int
    received_minor: int
    variance_minor: int
    achieved_bp: int | None
    plans_behind: int


class CollectionPlanVariancePage(Schema):
    month: str
    count: int
    limit: int
    offset: int
    items: list[CollectionPlanVarianceOut]


def _detail(request, plan_id: int) -> dict:
    plan = selectors.collection_plan_get(user=request.user, plan_id=plan_id)
    track = selectors.plan_track(plan, today=timezone.localdate())
    out = {name: getattr(plan, name) for name in (
        "id", "number", "customer_id", "contract_id", "owner_id", "currency", "status", "counts_from", "note",
        "created_at", "submitted_at", "decided_at", "decision_note")}
    out.update({
        "owner": plan.owner.get_username(), "submitted_by": plan.submitted_by.get_username() if plan.submitted_by
        else None, "decided_by": plan.decided_by.get_username() if plan.decided_by else None,
        "total_minor": track.expected_minor, "total": money_text(track.expected_minor, plan.currency),
        "received_minor": track.received_minor, "variance_minor": track.variance_minor, "behind": track.behind,
        "lines": [{"id": t.line.pk, "expected_date": t.line.expected_date, "amount_minor": t.line.amount_minor,
                   "kind": t.line.kind, "milestone_id": t.line.milestone_id, "invoice_id": t.line.invoice_id,
                   "description": t.line.description, "covered_minor": t.covered_minor, "state": t.state}
                  for t in track.lines],
        "months": [{"month": f"{m.month:%Y-%m}", "expected_minor": m.expected_minor,
                    "received_minor": m.received_minor, "variance_minor": m.variance_minor} for m in track.months]})
    return out


def _lines(lines: list[CollectionPlanLineIn]) -> list[services.LineIn]:
    return [services.LineIn(x.expected_date, x.amount_minor, x.description, x.kind, x.milestone_id, x.invoice_id,
                            x.currency.upper() if x.currency else None) for x in lines]


def _plan(request, plan_id: int):
    return selectors.collection_plan_get(user=request.user, plan_id=plan_id)


@router.get("", response=CollectionPlanPage, summary="Collection plans, newest first")
def plan_list(request, filters: Query[CollectionPlanFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    qs = selectors.collection_plan_list(user=request.user, status=filters.status or "", owner_id=filters.owner_id,
                                        customer_id=filters.customer_id, search=filters.search)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("", response={201: CollectionPlanDetailOut},
             summary="Draft a plan: from a contract's schedule, a customer's open invoices, or the lines given")
def plan_create(request, payload: CollectionPlanCreateIn):
    require_perm(request, DRAFT)
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    contract = None
    if payload.contract_id is not None:
        contract = Contract.objects.filter(pk=payload.contract_id, customer=customer).first()
        if contract is None:
            raise NotFound(_("No such contract of this customer."), field="contract_id")
    owner = None
    if payload.owner_id is not None:
        owner = get_user_model().objects.filter(pk=payload.owner_id, is_active=True).first()
        if owner is None:
            raise NotFound(_("No such user."), field="owner_id")
    currency = payload.currency.upper() if payload.currency else None
    if payload.draft_from == "contract":
        if contract is None:
            raise ValidationFailed(_("Name the contract to draft from."), field="contract_id")
        plan = services.collection_plan_draft_from_contract(actor=request.user, contract=contract, owner=owner,
                                                            note=payload.note)
    elif payload.draft_from == "customer":
        plan = services.collection_plan_draft_from_customer(actor=request.user, customer=customer, owner=owner,
                                                            currency=currency, note=payload.note)
    else:
        plan = services.collection_plan_create(actor=request.user, customer=customer, contract=contract,
                                               owner=owner, currency=currency, note=payload.note,
                                               lines=_lines(payload.lines))
    return Status(201, _detail(request, plan.pk))


@router.get("/variance", response=CollectionPlanVariancePage, summary="The variance per owner of a month")
def plan_variance(request, filters: Query[CollectionPlanVarianceFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    today = timezone.localdate()
    month = today.replace(day=1)
    if filters.month:
        try:
            month = date(int(filters.month[:4]), int(filters.month[5:]), 1)
        except ValueError as exc:
            raise ValidationFailed(_("Give the month as YYYY-MM."), field="month") from exc
    rows = selectors.variance_by_owner(user=request.user, month=month, today=today, owner_id=filters.owner_id)
    if page.limit > MAX_LIMIT:
        raise ValidationFailed(_("Too many items per page."), field="limit")
    items = [{"owner_id": r.owner_id, "owner": r.owner_name, "currency": r.currency, "plans": r.plans,
              "planned_minor": r.planned_minor, "received_minor": r.received_minor,
              "variance_minor": r.variance_minor, "achieved_bp": r.achieved_bp, "plans_behind": r.plans_behind}
             for r in rows[page.offset:page.offset + page.limit]]
    return {"month": f"{month:%Y-%m}", "count": len(rows), "limit": page.limit, "offset": page.offset,
            "items": items}


@router.get("/{plan_id}", response=CollectionPlanDetailOut, summary="One plan with its lines and tracking")
def plan_detail(request, plan_id: int):
    require_perm(request, VIEW)
    return _detail(request, plan_id)


@router.put("/{plan_id}/lines", response=CollectionPlanDetailOut, summary="Replace the lines of a draft plan")
def plan_lines(request, plan_id: int, payload: CollectionPlanLinesIn):
    require_perm(request, CHANGE)
    services.collection_plan_lines_set(actor=request.user, plan=_plan(request, plan_id), lines=_lines(payload.lines),
                                       note=payload.note)
    return _detail(request, plan_id)


@router.post("/{plan_id}/submit", response=CollectionPlanDetailOut, summary="Submit a draft for approval")
def plan_submit(request, plan_id: int):
    require_perm(request, CHANGE)
    services.collection_plan_submit(actor=request.user, plan=_plan(request, plan_id))
    return _detail(request, plan_id)


@router.post("/{plan_id}/approve", response=CollectionPlanDetailOut,
             summary="Approve (a finance manager, not the submitter)")
def plan_approve(request, plan_id: int, payload: CollectionPlanDecisionIn):
    require_perm(request, services.APPROVE)
    services.collection_plan_approve(actor=request.user, plan=_plan(request, plan_id), comment=payload.comment)
    return _detail(request, plan_id)


@router.post("/{plan_id}/return", response=CollectionPlanDetailOut, summary="Return to draft with a comment")
def plan_return(request, plan_id: int, payload: CollectionPlanDecisionIn):
    require_perm(request, services.APPROVE)
    services.collection_plan_return(actor=request.user, plan=_plan(request, plan_id), comment=payload.comment)
    return _detail(request, plan_id)


@router.post("/{plan_id}/cancel", response=CollectionPlanDetailOut, summary="Cancel a plan")
def plan_cancel(request, plan_id: int, payload: CollectionPlanEndIn):
    require_perm(request, CHANGE)
    services.collection_plan_cancel(actor=request.user, plan=_plan(request, plan_id), reason=payload.reason)
    return _detail(request, plan_id)


@router.post("/{plan_id}/close", response=CollectionPlanDetailOut, summary="Close an approved plan")
def plan_close(request, plan_id: int, payload: CollectionPlanEndIn):
    require_perm(request, services.APPROVE)
    services.collection_plan_close(actor=request.user, plan=_plan(request, plan_id), reason=payload.reason)
    return _detail(request, plan_id)

