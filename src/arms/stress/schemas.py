"""Request and response shapes of the stress API (/api/v1/stress). Names start with ``Stress`` so they stay unique
in the OpenAPI document. Amounts are CNY fen (``*_minor``); shares and rates basis points (``*_bp``, 10000 =
100%)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from arms.common.api_types import MAX_MINOR, DocumentDate, InputSchema, QuerySchema
from arms.common.bounds import MAX_NOTE


class StressScenarioIn(InputSchema):
    name: str = Field(..., max_length=100)
    description: str = Field("", max_length=MAX_NOTE)
    slip_share_bp: int = Field(0, description="Share of the open items paid later, 0..10000 basis points.")
    slip_days: int = Field(0, description="How much later: 30, 60 or 90 days (with a share).")
    default_top_n: int = Field(0, description="The largest N customers default (1..50; 0 for none).")
    default_grade: str = Field("", max_length=1, description="Every customer of this grade (A/B/C/D) defaults.")
    migrate_grade: str = Field("", max_length=1, description="Customers of this grade (A/B/C) migrate one down.")
    fx_currency: str = Field("", max_length=3, description="The currency of the exchange-rate shock, e.g. USD.")
    fx_move_bp: int = Field(0, description="Its move against CNY, -9000..10000 basis points.")
    is_standard: bool = Field(False, description="The monthly management report's scenario (one per company).")


class StressScenarioOut(Schema):
    id: int
    name: str
    description: str
    slip_share_bp: int
    slip_days: int
    default_top_n: int
    default_grade: str
    migrate_grade: str
    fx_currency: str
    fx_move_bp: int
    is_standard: bool
    shocks: str = Field(..., description="The shocks in the reader's words.")
    created_at: dt.datetime
    updated_at: dt.datetime


class StressScenarioPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StressScenarioOut]


class StressRunIn(InputSchema):
    as_of: DocumentDate | None = Field(None, description="The day the book is read; today when omitted.")


class StressRunOut(Schema):
    id: int
    scenario_id: int | None
    scenario_name: str
    as_of: dt.date
    stressed_minimum_minor: int
    allowance_delta_minor: int
    created_at: dt.datetime
    inputs: dict[str, Any]
    results: dict[str, Any] = Field(..., description="weeks (cash-in and cash position, base and stressed), base "
                                                     "and stressed figures, defaulted customers, recommendations.")
    recommendations: list[str]


class StressRunBrief(Schema):
    id: int
    scenario_id: int | None
    scenario_name: str
    as_of: dt.date
    stressed_minimum_minor: int
    allowance_delta_minor: int
    created_at: dt.datetime


class StressRunPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StressRunBrief]


class StressCostQuery(QuerySchema):
    as_of: DocumentDate | None = Field(None, description="The day; today when omitted.")
    by: Literal["customer", "collector", "salesperson"] = "customer"
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


class StressCostRow(Schema):
    id: int | None = Field(..., description="The customer, collector or salesperson; null: nobody assigned.")
    label: str
    customers: int
    overdue_minor: int
    average_days: int
    cost_minor: int


class StressCostPage(Schema):
    as_of: dt.date
    by: str
    financing_rate_bp: int
    total_overdue_minor: int
    total_cost_minor: int
    count: int
    limit: int
    offset: int
    items: list[StressCostRow]


class StressSettingsIn(InputSchema):
    opening_cash_minor: int = Field(..., ge=-MAX_MINOR, le=MAX_MINOR)
    weekly_outflow_minor: int = Field(..., ge=0, le=MAX_MINOR)
    financing_rate_bp: int
    concentration_limit_bp: int


class StressSettingsOut(Schema):
    opening_cash_minor: int
    weekly_outflow_minor: int
    financing_rate_bp: int
    concentration_limit_bp: int
