"""Request and response shapes of the incentives API (/api/v1/incentives). Names start with ``Incentive`` so they
stay unique in the OpenAPI document. Amounts are CNY fen (``*_minor``); weights, shares, rates and points basis
points (``*_bp``, 10000 = 100%)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from arms.common.api_types import MAX_MINOR, DocumentDate, InputSchema, QuerySchema
from arms.common.bounds import MAX_NOTE


class IncentiveMemberIn(InputSchema):
    username: str = Field(..., max_length=150)
    role: Literal["salesperson", "collector"]


class IncentiveTermsIn(InputSchema):
    base_pool_minor: int | None = Field(None, ge=0, le=MAX_MINOR, description="Base bonus pool, CNY fen.")
    weight_collections_bp: int | None = Field(None, description="Weight of collections (回款额), bp.")
    weight_recovery_bp: int | None = Field(None, description="Weight of 回收率, bp.")
    weight_dunning_bp: int | None = Field(None, description="Weight of 催收成功率, bp.")
    weight_rating_bp: int | None = Field(None, description="Weight of the mutual rating, bp (1000 by default).")
    dso_step_days: int | None = Field(None, description="Days of shorter DSO per step (5 by default).")
    dso_step_bp: int | None = Field(None, description="Pool change per step, bp (100 by default).")
    dso_both_ways: bool | None = Field(None, description="A longer DSO shrinks the pool alike.")
    overdue_days: int | None = Field(None, description="Items more than this many days past due are deducted.")
    deduction_mode: Literal["per_item", "per_amount"] | None = None
    deduction_per_item_minor: int | None = Field(None, ge=0, le=MAX_MINOR, description="Per item, CNY fen.")
    deduction_bp: int | None = Field(None, description="Share of the items' open amount, bp.")
    note: str | None = Field(None, max_length=MAX_NOTE)
    members: list[IncentiveMemberIn] | None = Field(
        None, max_length=500, description="Who is in it; omitted: every salesperson and collector (on create).")

    def terms(self) -> dict[str, Any]:
        return {name: value for name, value in self.model_dump(exclude={"members"}).items()
                if value is not None and name in self.model_fields_set}


class IncentiveSchemeIn(IncentiveTermsIn):
    period: DocumentDate = Field(..., description="Any day of the month the scheme covers.")


class IncentiveMemberOut(Schema):
    username: str
    name: str
    role: str


class IncentiveSchemeOut(Schema):
    id: int
    period: dt.date
    status: str
    base_pool_minor: int
    weight_collections_bp: int
    weight_recovery_bp: int
    weight_dunning_bp: int
    weight_rating_bp: int
    dso_step_days: int
    dso_step_bp: int
    dso_both_ways: bool
    overdue_days: int
    deduction_mode: str
    deduction_per_item_minor: int
    deduction_bp: int
    note: str
    dso_previous: str | None
    dso_current: str | None
    pool_step_bp: int
    pool_minor: int
    computed_by: str | None
    computed_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None
    members: list[IncentiveMemberOut]


class IncentiveSchemeBrief(Schema):
    id: int
    period: dt.date
    status: str
    base_pool_minor: int
    pool_minor: int


class IncentiveSchemePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[IncentiveSchemeBrief]


class IncentiveLineOut(Schema):
    username: str
    name: str
    role: str
    collections_minor: int
    recovery_bp: int | None
    dunning_bp: int | None
    rating_bp: int | None
    ratings_count: int
    points: dict[str, int] = Field(..., description="Points per component, bp.")
    amounts: dict[str, int] = Field(..., description="Amount per component, CNY fen.")
    overdue_items: int
    overdue_minor: int
    deduction_minor: int
    gross_minor: int
    total_minor: int


class IncentiveLinePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[IncentiveLineOut]


class IncentiveItemsQuery(QuerySchema):
    part: Literal["collections", "recovery", "dunning", "overdue", "ratings"] = "collections"


class IncentiveItemOut(Schema):
    date: dt.date | None = None
    customer_code: str = ""
    invoice_number: str = ""
    receipt_number: str = ""
    due_date: dt.date | None = None
    amount_minor: int | None = Field(None, description="Cash applied, or the invoice's gross, CNY fen.")
    rater: str = ""
    score: int | None = None


class IncentiveItemPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[IncentiveItemOut]


class IncentiveRatingIn(InputSchema):
    ratee: str = Field(..., max_length=150, description="The username of the person rated.")
    score: int = Field(..., description="0 to 100.")
    note: str = Field("", max_length=MAX_NOTE)


class IncentiveRatingOut(Schema):
    rater: str
    ratee: str
    score: int
    note: str


class IncentiveRatingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[IncentiveRatingOut]


class IncentiveSheetQuery(QuerySchema):
    format: Literal["xlsx", "csv"] = "xlsx"
