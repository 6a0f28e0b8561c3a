"""REST API of the monthly sales–finance reconciliation, mounted at /api/v1/sales-reconciliations.

    GET   ""                              the reconciliations the caller may see (``month``, ``status``,
                                          ``salesperson_id``; limit/offset); a salesperson sees only their own
    POST  ""                              finance opens a month (``month`` "2026-11"; ``salesperson_id`` for one)
    GET   /{id}                           one, with its snapshot and its differences
    POST  /{id}/answer                    the salesperson agrees (``agree``) or lists ``differences``
    POST  /{id}/sign-off                  finance signs off (not the salesperson; every difference resolved)
    POST  /differences/{id}/assign        give a difference an owner (``owner_id``)
    POST  /differences/{id}/resolve       record how it was cleared up (``resolution``)

    curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d '{"month": "2026-11"}' \
        "$ARMS/api/v1/sales-reconciliations"
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from arms.common.access import require_perm
from arms.common.api_types import InputSchema, ObjectId, QuerySchema, formatted_money, inline_choices
from arms.common.bounds import MAX_NOTE
from arms.common.errors import ValidationFailed
from arms.common.pagination import PageParams, paginate
from arms.salesrecon import selectors, services
from arms.salesrecon.enums import ReconStatus

router = Router(tags=["sales-finance reconciliation"])

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def _month(text: str | None, field: str = "month") -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError as exc:
        raise ValidationFailed(_("A month is written YYYY-MM, e.g. 2026-11."), field=field) from exc


class SalesReconFilters(QuerySchema):
    month: str | None = Field(None, pattern=MONTH, description="The month, YYYY-MM.")
    status: inline_choices(ReconStatus) | None = None  # type: ignore[valid-type]
    salesperson_id: ObjectId | None = None


class SalesReconOpenIn(InputSchema):
    month: str = Field(pattern=MONTH, description="The month to open, YYYY-MM; it must have ended.")
    salesperson_id: ObjectId | None = Field(None, description="Open it for this salesperson only.")


class SalesReconDifferenceIn(InputSchema):
    customer_id: ObjectId
    sales_minor: int = Field(description="The balance the salesperson believes, integer minor units.")
    currency: str = Field("CNY", min_length=3, max_length=3)
    note: str = Field("", max_length=MAX_NOTE)


class SalesReconAnswerIn(InputSchema):
    agree: bool
    differences: list[SalesReconDifferenceIn] = Field([], max_length=services.MAX_DIFFERENCES)
    note: str = Field("", max_length=MAX_NOTE)


class SalesReconSignOffIn(InputSchema):
    note: str = Field("", max_length=MAX_NOTE)


class SalesReconAssignIn(InputSchema):
    owner_id: ObjectId


class SalesReconResolveIn(InputSchema):
    resolution: str = Field(min_length=1, max_length=MAX_NOTE)


class SalesReconSnapshotRowOut(Schema):
    customer_id: int
    code: str
    name: str
    currency: str
    balance_minor: int
    balance: str | None = None
    balance_base_minor: int

    resolve_balance = formatted_money("balance_minor")


class SalesReconDifferenceOut(Schema):
    id: int
    customer_id: int
    currency: str
    ledger_minor: int
    ledger: str | None = None
    sales_minor: int
    sales: str | None = None
    note: str
    status: str
    owner_id: int | None
    resolution: str
    resolved_at: datetime | None
    resolved_by_id: int | None

    resolve_ledger = formatted_money("ledger_minor")
    resolve_sales = formatted_money("sales_minor")


class SalesReconOut(Schema):
    id: int
    month: str
    as_of: date
    salesperson_id: int
    status: str
    customers: int
    currency: str = "CNY"
    total_base_minor: int
    total_base: str | None = None
    snapshot_sha256: str
    opened_at: datetime
    opened_by_id: int | None
    answered_at: datetime | None
    answer_note: str
    signed_off_at: datetime | None
    signed_off_by_id: int | None
    sign_off_note: str

    resolve_total_base = formatted_money("total_base_minor")

    @staticmethod
    def resolve_month(obj) -> str:
        return f"{obj.period:%Y-%m}"


class SalesReconDetailOut(SalesReconOut):
    snapshot: list[SalesReconSnapshotRowOut]
    differences: list[SalesReconDifferenceOut]

    @staticmethod
    def resolve_differences(obj) -> list:
        return list(selectors.sales_recon_differences(obj))


class SalesReconPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SalesReconOut]


def _get(request, reconciliation_id: int):
    return selectors.sales_recon_get(user=request.user, reconciliation_id=reconciliation_id)


@router.get("", response=SalesReconPage, summary="Sales–finance reconciliations, newest month first")
def sales_recon_list(request, filters: Query[SalesReconFilters], page: Query[PageParams]):
    require_perm(request, "salesrecon.view_salesreconciliation")
    qs = selectors.sales_recon_list(user=request.user, period=_month(filters.month), status=filters.status or "",
                                    salesperson_id=filters.salesperson_id)
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("", response={201: list[SalesReconOut]}, summary="Open a month for every salesperson (or one)")
def sales_recon_open(request, payload: SalesReconOpenIn):
    require_perm(request, "salesrecon.open_salesreconciliation")
    period = _month(payload.month)
    assert period is not None  # the schema requires it
    opened = services.sales_recon_open(period=period, actor=request.user, salesperson=payload.salesperson_id)
    return Status(201, opened)


@router.get("/{reconciliation_id}", response=SalesReconDetailOut, summary="One reconciliation with its snapshot")
def sales_recon_detail(request, reconciliation_id: int):
    require_perm(request, "salesrecon.view_salesreconciliation")
    return _get(request, reconciliation_id)


@router.post("/{reconciliation_id}/answer", response=SalesReconDetailOut,
             summary="The salesperson agrees or lists differences")
def sales_recon_answer(request, reconciliation_id: int, payload: SalesReconAnswerIn):
    require_perm(request, "salesrecon.answer_salesreconciliation")
    services.sales_recon_answer(
        reconciliation=_get(request, reconciliation_id), actor=request.user, agree=payload.agree, note=payload.note,
        differences=[services.DifferenceIn(customer_id=d.customer_id, sales_minor=d.sales_minor,
                                           currency=d.currency, note=d.note) for d in payload.differences])
    return _get(request, reconciliation_id)


@router.post("/{reconciliation_id}/sign-off", response=SalesReconDetailOut, summary="Finance signs off")
def sales_recon_sign_off(request, reconciliation_id: int, payload: SalesReconSignOffIn):
    require_perm(request, "salesrecon.sign_off_salesreconciliation")
    services.sales_recon_sign_off(reconciliation=_get(request, reconciliation_id), actor=request.user,
                                  note=payload.note)
    return _get(request, reconciliation_id)


@router.post("/differences/{difference_id}/assign", response=SalesReconDifferenceOut,
             summary="Give a difference an owner")
def sales_recon_difference_assign(request, difference_id: int, payload: SalesReconAssignIn):
    require_perm(request, "salesrecon.sign_off_salesreconciliation")
    diff = selectors.sales_recon_difference_get(user=request.user, difference_id=difference_id)
    owner = get_user_model().objects.filter(pk=payload.owner_id, is_active=True).first()
    if owner is None:
        raise ValidationFailed(_("Choose an active user as the owner."), field="owner_id")
    return services.sales_recon_difference_assign(difference=diff, actor=request.user, owner=owner)


@router.post("/differences/{difference_id}/resolve", response=SalesReconDifferenceOut,
             summary="Record how a difference was cleared up")
def sales_recon_difference_resolve(request, difference_id: int, payload: SalesReconResolveIn):
    require_perm(request, "salesrecon.sign_off_salesreconciliation")
    diff = selectors.sales_recon_difference_get(user=request.user, difference_id=difference_id)
    return services.sales_recon_difference_resolve(difference=diff, actor=request.user,
                                                   resolution=payload.resolution)
