"""Request and response shapes of the limitation API (/api/v1/limitation). Names start with ``Limitation`` so they
stay unique in the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from arms.common.api_types import (
    DocumentDate,
    InputSchema,
    ObjectId,
    QuerySchema,
    SearchText,
    formatted_money,
    inline_choices,
)
from arms.common.bounds import MAX_NOTE
from arms.limitation.enums import InterruptionKind


class LimitationClaimOut(Schema):
    invoice_id: int
    invoice_number: str = Field(..., alias="invoice.number")
    customer_id: int
    customer_code: str = Field(..., alias="customer.code")
    customer_name: str = Field(..., alias="customer.name")
    currency: str = Field(..., alias="invoice.currency")
    due_date: dt.date = Field(..., alias="invoice.due_date")
    amount_open_minor: int = Field(..., alias="invoice.amount_open_minor")
    amount_open: str | None = None
    start: dt.date
    last_interruption: dt.date | None
    last_kind: str = Field(..., description="What the latest interruption was; empty when none.")
    expires_on: dt.date = Field(..., description="The last day a lawsuit or arbitration is in time.")
    status: str = Field(..., description="running, expiring, expired, or stopped when nothing is owed.")

    resolve_amount_open = formatted_money("invoice.amount_open_minor", "invoice.currency")


class LimitationClaimPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LimitationClaimOut]


class LimitationClaimFilters(QuerySchema):
    status: Literal["open", "expiring", "expired", "running", "stopped", "all"] = Field(
        "open", description="open = every claim still owed (running, expiring, expired).")
    within_days: int | None = Field(None, ge=0, le=3650, description="Only claims expiring within this many days.")
    collector_id: ObjectId | None = None
    customer_id: ObjectId | None = None
    search: SearchText = ""


class LimitationInterruptionOut(Schema):
    id: int
    invoice_id: int
    customer_id: int
    kind: str
    date: dt.date
    source: str
    note: str
    evidence_name: str
    evidence_sha256: str = ""
    recorded_by_id: int | None
    recorded_at: dt.datetime

    @staticmethod
    def resolve_evidence_sha256(obj) -> str:
        return obj.evidence.sha256 if obj.evidence_id else ""


class LimitationClaimDetailOut(Schema):
    invoice_id: int
    invoice_number: str
    customer_id: int
    currency: str
    due_date: dt.date
    amount_open_minor: int
    amount_open: str | None = None
    start: dt.date
    last_interruption: dt.date | None
    expires_on: dt.date
    status: str
    days_left: int
    write_off_link: str = Field("", description="The prefilled write-off request, once the claim has expired.")
    chain: list[LimitationInterruptionOut]

    resolve_amount_open = formatted_money("amount_open_minor")


class LimitationInterruptionIn(InputSchema):
    customer_id: ObjectId
    invoice_ids: list[ObjectId] = Field(default_factory=list, max_length=1000,
                                        description="The customer's invoices; empty for all its open invoices.")
    kind: inline_choices(InterruptionKind)  # type: ignore[valid-type]
    date: DocumentDate = Field(..., description="The day of the interruption (not in the future).")
    note: str = Field("", max_length=MAX_NOTE)


class LimitationInterruptionForm(InputSchema):
    """The multipart form of an interruption with its evidence file: ``invoice_ids`` comma-separated."""

    customer_id: ObjectId
    invoice_ids: str = Field("", max_length=20_000, pattern=r"^[0-9, ]*$",
                             description="Comma-separated invoice ids; empty for all open invoices.")
    kind: inline_choices(InterruptionKind)  # type: ignore[valid-type]
    date: DocumentDate
    note: str = Field("", max_length=MAX_NOTE)


class LimitationSettingsOut(Schema):
    period_years: int
    alert_days: list[int]


class LimitationSettingsIn(InputSchema):
    period_years: int = Field(..., description="1-20 years; three under the Civil Code.")
    alert_days: list[int] = Field(..., max_length=10, description="Days before expiry to alert, e.g. [180, 90, 30].")


__all__ = ["LimitationClaimDetailOut", "LimitationClaimFilters", "LimitationClaimOut", "LimitationClaimPage",
           "LimitationInterruptionForm", "LimitationInterruptionIn", "LimitationInterruptionOut",
           "LimitationSettingsIn", "LimitationSettingsOut"]
