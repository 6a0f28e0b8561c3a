"""Request and response shapes of the early-warning API (/api/v1/warnings). Names start with ``Ew`` so they stay
unique in the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from arms.common.api_types import DocumentDate, InputSchema, ObjectId, QuerySchema, inline_choices
from arms.common.bounds import MAX_NOTE
from arms.earlywarning.enums import Metric, ScopeKind, Severity, SignalCategory


class EwIndicatorOut(Schema):
    id: int
    name: str
    metric: str
    metric_label: str
    scope: str
    scope_label: str
    scope_user_id: int | None
    scope_customer_id: int | None
    scope_value: str
    threshold: int = Field(..., description="In the metric's unit: days, basis points, CNY fen or a count.")
    unit: str = Field(..., description="days, bp, money or count.")
    window: int | None
    window_unit: str = Field(..., description="days, months, or none.")
    severity: str
    notify_roles: list[str]
    notify_user_ids: list[int]
    responsible_role: str
    active: bool
    builtin: str


class EwIndicatorIn(InputSchema):
    name: str = Field(..., max_length=120)
    metric: inline_choices(Metric)  # type: ignore[valid-type]
    threshold: StrictInt = Field(..., description="A whole number of the metric's unit (days, bp, CNY fen, count).")
    window: StrictInt | None = Field(None, description="Days or months where the metric has a window.")
    scope: inline_choices(ScopeKind) = ScopeKind.COMPANY  # type: ignore[valid-type]
    scope_user_id: ObjectId | None = None
    scope_customer_id: ObjectId | None = None
    scope_value: str = Field("", max_length=40)
    severity: inline_choices(Severity) = Severity.WARNING  # type: ignore[valid-type]
    notify_roles: list[str] = Field(default_factory=list, max_length=9)
    notify_user_ids: list[ObjectId] = Field(default_factory=list, max_length=50)
    responsible_role: str = Field("credit_manager", max_length=20)
    active: bool = True


class EwIndicatorPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EwIndicatorOut]


class EwWarningOut(Schema):
    id: int
    indicator_id: int
    indicator_name: str
    metric: str
    subject: str
    subject_label: str
    customer_id: int | None
    severity: str
    status: str
    value: int
    threshold: int
    figures: dict[str, Any]
    figures_text: str
    raised_on: dt.date
    last_value: int | None
    last_evaluated_on: dt.date | None
    closed_on: dt.date | None
    acknowledged_by_id: int | None
    acknowledged_at: dt.datetime | None
    acknowledgement_note: str
    task_id: int | None


class EwWarningPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EwWarningOut]


class EwWarningFilters(QuerySchema):
    status: Literal["standing", "open", "acknowledged", "closed", "all"] = "standing"
    severity: Literal["", "info", "warning", "critical"] = ""
    indicator_id: ObjectId | None = None
    customer_id: ObjectId | None = None


class EwAcknowledgeIn(InputSchema):
    note: str = Field(..., max_length=MAX_NOTE)


class EwSignalAcknowledgeIn(InputSchema):
    note: str = Field(..., max_length=MAX_NOTE)
    rerate: bool = Field(False, description="Rate the customer again now (the proposal waits for a decision).")


class EwEvaluateIn(InputSchema):
    as_of: DocumentDate | None = Field(None, description="The day to evaluate; today when omitted.")


class EwSignalIn(InputSchema):
    customer_id: ObjectId
    category: inline_choices(SignalCategory)  # type: ignore[valid-type]
    description: str = Field(..., max_length=MAX_NOTE)
    observed_at: dt.datetime = Field(..., description="When it was noticed (not in the future).")


class EwSignalOut(Schema):
    id: int
    customer_id: int
    category: str
    description: str
    observed_at: dt.datetime
    raised_at: dt.datetime
    raised_by_id: int | None
    late: bool
    evidence_name: str
    status: str
    acknowledged_by_id: int | None
    acknowledged_at: dt.datetime | None
    acknowledgement_note: str
    rating_id: int | None


class EwSignalPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EwSignalOut]


class EwSignalFilters(QuerySchema):
    status: Literal["", "raised", "acknowledged"] = ""
    customer_id: ObjectId | None = None
