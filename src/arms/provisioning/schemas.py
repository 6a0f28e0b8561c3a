"""Request and response shapes of the provisioning API (/api/v1/provisioning). Names start with ``Provision`` so
they stay unique in the OpenAPI document. Amounts are CNY fen (``*_minor``) beside ``currency``; rates are basis
points (``*_bp``, 10000 = 100%)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from arms.common.api_types import MAX_MINOR, DocumentDate, InputSchema, ObjectId, QuerySchema
from arms.common.bounds import MAX_NOTE


class ProvisionBand(Schema):
    label: str = Field(..., max_length=40, description="The band's name, e.g. 1-6个月.")
    low: int = Field(..., description="First day past due of the band (the first band starts at 0).")
    high: int | None = Field(None, description="Last day past due of the band; null for the last, open-ended band.")
    rate_bp: int = Field(..., description="Rate in basis points, 0..10000 (10000 = 100%).")


class ProvisionMatrixIn(InputSchema):
    name: str = Field(..., max_length=100)
    bands: list[ProvisionBand] = Field(..., max_length=20)
    group_rates: dict[str, list[int]] = Field(
        default_factory=dict, description="Other rates per industry code: one rate (basis points) per band.")
    note: str = Field("", max_length=300)


class ProvisionMatrixOut(Schema):
    id: int
    version: int
    name: str
    bands: list[ProvisionBand]
    group_rates: dict[str, list[int]]
    is_active: bool
    note: str
    created_at: dt.datetime


class ProvisionMatrixPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProvisionMatrixOut]


class ProvisionAssessmentForm(InputSchema):
    customer_id: ObjectId
    rate_bp: int | None = Field(None, description="Rate in basis points (0..10000); or give amount_minor.")
    amount_minor: int | None = Field(None, ge=-MAX_MINOR, le=MAX_MINOR,
                                     description="Amount to provide for, CNY fen; or give rate_bp.")
    reason: str = Field(..., max_length=MAX_NOTE)
    valid_from: DocumentDate


class ProvisionAssessmentOut(Schema):
    id: int
    customer_id: int
    customer_code: str = Field(..., alias="customer.code")
    rate_bp: int | None
    amount_minor: int | None
    currency: str
    reason: str
    valid_from: dt.date
    ended_on: dt.date | None
    evidence_name: str


class ProvisionAssessmentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProvisionAssessmentOut]


class ProvisionAssessmentEndIn(InputSchema):
    ended_on: DocumentDate


class ProvisionAsOfIn(InputSchema):
    as_of: DocumentDate = Field(..., description="The day; a run is posted for a month end.")


class ProvisionAsOfQuery(QuerySchema):
    as_of: DocumentDate | None = Field(None, description="The day (default today).")
    months: int = Field(12, ge=1, le=36, description="Month-to-month steps of history (1..36).")


class ProvisionReportQuery(QuerySchema):
    format: Literal["xlsx", "csv", "pdf"] = Field("xlsx", description="The report's file format.")


class ProvisionBandTotal(Schema):
    label: str
    low: int
    high: int | None
    rate_bp: int
    open_minor: int
    required_minor: int


class ProvisionLineOut(Schema):
    customer_id: int
    group: str = Field(..., description="The customer's industry (which rates applied).")
    basis: str = Field(..., description="matrix, individual_rate or individual_amount.")
    open_by_band: list[int]
    rate_by_band: list[int]
    required_by_band: list[int]
    open_minor: int
    required_minor: int
    booked_before_minor: int
    true_up_minor: int
    currency: str = "CNY"


class ProvisionLinePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProvisionLineOut]


class ProvisionPreviewOut(Schema):
    as_of: dt.date
    matrix_version: int
    currency: str = "CNY"
    customer_count: int
    total_open_minor: int
    total_required_minor: int
    total_booked_before_minor: int
    true_up_minor: int
    band_totals: list[ProvisionBandTotal]
    lines: list[ProvisionLineOut] = Field(..., description="The customers with the largest allowance (at most 50).")


class ProvisionRunOut(Schema):
    id: int
    as_of: dt.date
    matrix_version: int = Field(..., alias="matrix.version")
    currency: str
    customer_count: int
    total_open_minor: int
    total_required_minor: int
    total_booked_before_minor: int
    true_up_minor: int
    band_totals: list[ProvisionBandTotal]
    inputs_sha256: str
    posted_at: dt.datetime


class ProvisionRunPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProvisionRunOut]


class ProvisionVerifyOut(Schema):
    ok: bool = Field(..., description="The stored figures hash to the stored digest and recompute the same.")
    digest_ok: bool
    recomputed: list[int] = Field(..., description="Customers whose stored figures do not recompute.")
    ledger: list[int] = Field(..., description="Customers the ledger now shows other figures for on that day.")


class ProvisionLossBucket(Schema):
    index: int
    low: int
    high: int | None
    roll_bp: int | None
    loss_bp: int
    weight_minor: int


class ProvisionLossBand(Schema):
    label: str
    low: int
    high: int | None
    rate_bp: int = Field(..., description="The configured rate.")
    historical_loss_bp: int = Field(..., description="The loss rate from history for the band.")


class ProvisionLossRatesOut(Schema):
    as_of: dt.date
    periods: int
    currency: str = "CNY"
    month_ends: list[dt.date]
    buckets: list[ProvisionLossBucket]
    bands: list[ProvisionLossBand]
