"""The coverage of balance confirmations over the API, mounted beside the confirmations at /api/v1/confirmations.

    GET /coverage              the shares confirmed (by amount and by customers) for a period end, in total, per
                               salesperson and per region (``period_end``, default the latest; ``salesperson_id``,
                               ``region``)
    GET /coverage/unconfirmed  the balances not confirmed for that period end, largest first (limit/offset)

Shares are basis points (``share_amount_bp`` 8250 is 82.50 %); amounts CNY fen at the documents' posting rates.
A salesperson sees the figures of their own customers only.
"""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Router, Schema

from arms.common.access import require_perm
from arms.common.api_types import DocumentDate, ObjectId, QuerySchema, formatted_money, inline_choices
from arms.common.pagination import PageParams
from arms.confirmations.coverage import confirmation_coverage, coverage_default_period
from arms.customers.enums import Region

router = Router(tags=["confirmations"])


class ConfirmationCoverageFilters(QuerySchema):
    period_end: DocumentDate | None = Field(None, description="The period end; default the latest with letters.")
    salesperson_id: ObjectId | None = None
    region: inline_choices(Region) | None = None  # type: ignore[valid-type]


class ConfirmationCoverageGroupOut(Schema):
    key: str = Field(description="The salesperson's id or the region's code; empty for the total.")
    label: str
    customers: int = Field(description="Customers who owe at the period end.")
    confirmed_customers: int
    share_customers_bp: int
    currency: str
    amount_base_minor: int = Field(description="What they owe, CNY fen.")
    amount_base: str | None = None
    confirmed_base_minor: int
    confirmed_base: str | None = None
    unconfirmed_base_minor: int
    unconfirmed_base: str | None = None
    share_amount_bp: int

    resolve_amount_base = formatted_money("amount_base_minor")
    resolve_confirmed_base = formatted_money("confirmed_base_minor")
    resolve_unconfirmed_base = formatted_money("unconfirmed_base_minor")


class ConfirmationCoverageOut(Schema):
    period_end: date
    total: ConfirmationCoverageGroupOut
    by_salesperson: list[ConfirmationCoverageGroupOut]
    by_region: list[ConfirmationCoverageGroupOut]


class ConfirmationUnconfirmedOut(Schema):
    customer_id: int
    code: str
    name: str
    salesperson: str
    region: str
    currency: str
    balance_base_minor: int
    balance_base: str | None = None
    confirmation_status: str = Field(description="The letter's status; empty when none was prepared.")
    confirmation_id: int | None

    resolve_balance_base = formatted_money("balance_base_minor")


class ConfirmationUnconfirmedPage(Schema):
    period_end: date
    count: int
    limit: int
    offset: int
    items: list[ConfirmationUnconfirmedOut]


def _coverage(request, filters: ConfirmationCoverageFilters):
    require_perm(request, "confirmations.view_confirmation")
    return confirmation_coverage(user=request.user, period_end=filters.period_end or coverage_default_period(),
                                 salesperson_id=filters.salesperson_id, region=filters.region or "")


@router.get("/coverage", response=ConfirmationCoverageOut, summary="Share of receivables confirmed for a period")
def coverage(request, filters: Query[ConfirmationCoverageFilters]):
    return _coverage(request, filters)


@router.get("/coverage/unconfirmed", response=ConfirmationUnconfirmedPage,
            summary="Balances not confirmed for a period, largest first")
def coverage_unconfirmed(request, filters: Query[ConfirmationCoverageFilters], page: Query[PageParams]):
    result = _coverage(request, filters)
    rows = result.unconfirmed
    return {"period_end": result.period_end, "count": len(rows), "limit": page.limit, "offset": page.offset,
            "items": rows[page.offset:page.offset + page.limit]}
