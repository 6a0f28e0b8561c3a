"""API shapes of reports: the monthly report's query, a stored report run."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from arms.common.api_types import InputSchema, QuerySchema
from arms.common.pagination import PageParams


class MonthlyQuery(QuerySchema):
    month: str = Field(..., max_length=20, description="The month, YYYY-MM, e.g. 2026-10.")
    format: str = Field("pdf", max_length=10, description="pdf or xlsx.")
    fresh: bool = Field(False, description="Make a new file even if one is stored for the month.")


class MonthlyIn(InputSchema):
    month: str = Field(..., max_length=20, description="The month, YYYY-MM.")
    format: str = Field("pdf", max_length=10, description="pdf or xlsx.")
    email: bool = Field(False, description="Also e-mail the report to the executives.")


class RunFilters(QuerySchema, PageParams):
    month: str = Field("", max_length=20, description="Only this month, YYYY-MM.")
    format: str = Field("", max_length=10, description="Only pdf or only xlsx.")


class ReportRunOut(Schema):
    id: int
    kind: str
    month: str
    period: date
    format: str
    filename: str
    size_bytes: int
    sha256: str
    generated_at: datetime
    generated_by: str | None
    trigger: str
    emailed_to: list[str]
    emailed_at: datetime | None
    download_url: str

    @staticmethod
    def resolve_month(obj) -> str:
        return f"{obj.period:%Y-%m}"

    @staticmethod
    def resolve_generated_by(obj) -> str | None:
        return obj.generated_by.get_username() if obj.generated_by_id else None

    @staticmethod
    def resolve_download_url(obj) -> str:
        return f"/api/v1/reports/runs/{obj.pk}/file"


class ReportRunPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReportRunOut]


class DashboardQuery(QuerySchema):
    as_of: date | None = Field(None, description="The day the figures are for (default today).")


class TileOut(Schema):
    key: str
    label: str
    value: str
    note: str


class ColumnOut(Schema):
    key: str
    label: str
    kind: str = Field(..., description="text, money (integer minor units, CNY unless a currency column says "
                                        "otherwise), count, decimal, percent or date.")


class PanelOut(Schema):
    key: str
    title: str
    tiles: list[TileOut]
    columns: list[ColumnOut]
    rows: list[list[Any]]
    export_xlsx: str
    export_csv: str


class DashboardOut(Schema):
    as_of: date
    panels: list[PanelOut]
