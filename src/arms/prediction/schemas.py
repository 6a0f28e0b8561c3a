"""Request and response shapes of the prediction API (/api/v1/prediction). Names start with ``Prediction`` so
they stay unique in the OpenAPI document. Amounts are minor units (``*_minor``) beside ``currency``; the base
amounts are CNY fen."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from arms.common.api_types import InputSchema, ObjectId, QuerySchema


class PredictionOutlookOut(Schema):
    invoice_id: int
    invoice_number: str = ""
    customer_id: int
    currency: str
    open_minor: int = Field(..., description="Open amount today, invoice currency, minor units.")
    open_base_minor: int = Field(..., description="The same in CNY fen.")
    due_date: dt.date
    p10: dt.date = Field(..., description="One in ten such invoices is paid by this day.")
    p50: dt.date = Field(..., description="The predicted payment date (median).")
    p90: dt.date = Field(..., description="Nine in ten such invoices are paid by this day.")
    method: Literal["model", "customer_history", "due_date"]
    method_label: str
    mae_days: float | None = Field(None, description="The model's mean absolute error in days on its backtest "
                                                     "(null unless the method is the model).")


class PredictionOutlookPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PredictionOutlookOut]


class PredictionOpenQuery(QuerySchema):
    customer_id: ObjectId | None = Field(None, description="Only this customer's open items.")


class PredictionScore(Schema):
    method: Literal["model", "customer_average", "due_date"]
    mae_days: float = Field(..., description="Mean absolute error of the predicted payment date, days.")
    within_7: float = Field(..., description="Share (0..1) predicted within ±7 days of the actual payment.")


class PredictionBacktestOut(Schema):
    cutoff: dt.date
    test_end: dt.date
    train_rows: int
    test_rows: int
    coverage_p10_p90: float = Field(..., description="Share of test invoices paid between P10 and P90.")
    scores: list[PredictionScore]


class PredictionModelOut(Schema):
    id: int
    version: int
    status: Literal["active", "retired"]
    algorithm: str
    window_start: dt.date
    window_end: dt.date
    rows: int
    features: list[str]
    backtest: PredictionBacktestOut | None
    artifact_sha256: str
    trained_at: dt.datetime
    trained_by: str | None = None

    @staticmethod
    def resolve_backtest(obj) -> dict | None:
        metrics = obj.metrics or {}
        return metrics if metrics.get("scores") else None

    @staticmethod
    def resolve_trained_by(obj) -> str | None:
        return obj.trained_by.get_username() if obj.trained_by_id else None


class PredictionModelPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PredictionModelOut]


class PredictionTrainIn(InputSchema):
    window_months: int | None = Field(None, ge=3, le=120,
                                      description="Months of settled history to learn from (default 24).")
