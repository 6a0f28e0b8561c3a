"""Request and response shapes of the forecast API (/api/v1/forecast). Names start with ``Forecast`` so they stay
unique in the OpenAPI document. Amounts are minor units (``*_minor``): CNY fen on a forecast and its buckets, the
invoice currency on a currency line."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from arms.accounts.names import person_name
from arms.common.api_types import DocumentDate, InputSchema, QuerySchema


class ForecastRunIn(InputSchema):
    as_of: DocumentDate | None = Field(None, description="The day the open items are taken; today when omitted.")
    granularity: str = Field("week", max_length=10, description="week (13 weeks) or month (12 months).")
    periods: int | None = Field(None, description="How many weeks (1..52) or months (1..24); 13 or 12 by default.")
    include_new_sales: bool = Field(False, description="Add new sales at the run-rate, as a separate line.")


class ForecastQuery(QuerySchema):
    granularity: str = Field("", max_length=10, description="Only forecasts by week or by month.")


class ForecastGranularityQuery(QuerySchema):
    granularity: str = Field("week", max_length=10, description="week or month.")


class ForecastOut(Schema):
    id: int
    as_of: dt.date
    granularity: str
    periods: int
    include_new_sales: bool
    open_minor: int = Field(..., description="The open items spread, CNY fen.")
    expected_minor: int = Field(..., description="Expected cash-in within the horizon, CNY fen.")
    beyond_minor: int = Field(..., description="Open items expected after the horizon, CNY fen.")
    new_sales_minor: int
    item_count: int
    methods: dict[str, int] = Field(..., description="Items dated by each prediction method.")
    created_at: dt.datetime
    created_by: str | None = Field(None, description="Who ran it; null when the schedule did.")
    currency: str = "CNY"

    @staticmethod
    def resolve_created_by(obj) -> str | None:
        return person_name(obj.created_by) if obj.created_by_id else None


class ForecastPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ForecastOut]


class ForecastBucketOut(Schema):
    seq: int
    start: dt.date
    end: dt.date
    expected_minor: int
    low_minor: int
    high_minor: int
    from_open_items_minor: int
    from_promises_minor: int
    from_plans_minor: int
    from_new_sales_minor: int


class ForecastCurrencyLineOut(Schema):
    seq: int
    start: dt.date
    end: dt.date
    currency: str
    expected_minor: int = Field(..., description="Expected cash-in in this currency, its minor units.")


class ForecastDetailOut(ForecastOut):
    buckets: list[ForecastBucketOut]
    by_currency: list[ForecastCurrencyLineOut]


class ForecastHorizonOut(Schema):
    horizon: int = Field(..., description="Week or month ahead: 1 is the period of the forecast's day.")
    count: int = Field(..., description="How many forecasts could be checked at this horizon.")
    mae_minor: int = Field(..., description="Mean absolute error, CNY fen.")
    bias_minor: int = Field(..., description="Mean of forecast − actual, CNY fen (positive: forecast too high).")
    wape_bp: int | None = Field(..., description="Σ|error| / Σ actual in basis points; null when no cash came.")
    forecast_minor: int
    actual_minor: int


class ForecastAccuracyRowOut(Schema):
    forecast_id: int
    as_of: dt.date
    horizon: int
    start: dt.date
    end: dt.date
    forecast_minor: int
    actual_minor: int
    error_minor: int


class ForecastAccuracyOut(Schema):
    granularity: str
    today: dt.date
    horizons: list[ForecastHorizonOut]
    rows: list[ForecastAccuracyRowOut]
