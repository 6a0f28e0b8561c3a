"""API shapes of the credit check, exposure, holds and overrides. Amounts are integer minor units beside their
currency, each with a formatted string for people (``"exposure": "1,234.56"``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from arms.common.api_types import (
    CustomerRefOut,
    InputSchema,
    MinorAmount,
    ObjectId,
    QuerySchema,
    formatted_money,
    money_text,
)
from arms.exposure.models import DocumentKind, HoldReason, OverrideStatus
from arms.exposure.selectors import override_status_now

# ---------------------------------------------------------------- inputs


class CreditCheckIn(InputSchema):
    customer_id: int
    amount_minor: MinorAmount = Field(description="The document's amount (an order's total), minor units, >= 0.")
    currency: str | None = Field(None, max_length=3, description="The customer's currency when empty.")
    document_kind: Literal["order", "invoice", "contract"] = "order"
    reference: str = Field("", max_length=100, description="The ERP's order number (or the document's).")
    contract_id: int | None = Field(None, description="For an invoice against a contract: only what goes beyond "
                                                      "the contract's not-yet-invoiced rest adds exposure.")
    confirm: bool = Field(False, description="The ERP confirms the order on this answer: a blocked order uses "
                                             "(and consumes) an approved override that fits it.")
    payment_terms_days: int | None = Field(None, ge=0, le=3650, description="The payment terms the order asks "
                                           "for, in days: longer than the grade allows is refused (terms_exceeded).")


class HoldIn(InputSchema):
    customer_id: int
    reason_code: HoldReason = HoldReason.MANUAL
    note: str = Field("", max_length=2000)
    source_ref: str = Field("", max_length=100)


class ExposureNoteIn(InputSchema):
    note: str = Field(max_length=2000)


class OverrideIn(InputSchema):
    customer_id: int
    amount_minor: MinorAmount
    currency: str | None = Field(None, max_length=3, description="The customer's currency when empty.")
    reason: str = Field(max_length=2000)
    document_kind: DocumentKind = Field(DocumentKind.ANY, description="Empty: any kind of document.")
    document_ref: str = Field("", max_length=100, description="Empty: the first blocked document that fits.")
    valid_days: int = Field(7, description="Days the approval stays valid, 1 to 90.")
    terms_days: int | None = Field(None, description="A terms exception: the document may ask for payment terms "
                                                     "up to this many days (1-3650), beyond the grade's.")


class OverrideApproveIn(InputSchema):
    note: str = Field("", max_length=2000)
    valid_days: int | None = Field(None, description="Change the validity (1-90 days from approval).")


class HoldFilters(QuerySchema):
    customer_id: ObjectId | None = None
    active: bool | None = None
    reason_code: HoldReason | None = None


class OverrideFilters(QuerySchema):
    customer_id: ObjectId | None = None
    status: OverrideStatus | None = None


# ---------------------------------------------------------------- outputs


class CreditCheckOut(Schema):
    customer_id: int
    decision: str = Field(description="allow, warn or block")
    reasons: list[dict] = Field(description="Each: code (hold, unrated, grade_d, overdue, limit_exceeded, "
                                            "near_limit, override_used), severity (block, warn, info), message, "
                                            "and the figures behind it.")
    currency: str = Field(description="Currency of exposure and limit (the limit's).")
    exposure_minor: int
    limit_minor: int | None
    available_minor: int | None
    exposure_after_minor: int
    increase_minor: int = Field(description="What the document adds to exposure, in the limit's currency.")
    amount_minor: int
    document_currency: str
    grade: str
    controlled: bool = Field(description="False: no limit set, not under credit control (never blocked "
                                         "except by a hold).")
    override_id: int | None
    exposure: str
    limit: str | None
    available: str | None


class ExposureOut(Schema):
    customer_id: int
    as_of: dt.date
    currency: str
    open_receivables_minor: int
    uninvoiced_contracts_minor: int
    unmatured_bills_minor: int
    exposure_minor: int
    limit_minor: int | None
    available_minor: int | None
    used_bp: int | None = Field(description="Exposure as a share of the limit in basis points (10000 = 100%).")
    grade: str
    active_holds: int
    exposure: str
    limit: str | None
    available: str | None
    by_currency: dict[str, int] = Field(description="Exposure per document currency before conversion.")


def _username(user) -> str | None:
    return user.get_username() if user else None


class HoldOut(CustomerRefOut):
    id: int
    reason_code: str
    note: str
    source_ref: str
    active: bool
    placed_by: str | None
    placed_at: dt.datetime
    released_by: str | None
    released_at: dt.datetime | None
    release_note: str

    @staticmethod
    def resolve_placed_by(obj) -> str | None:
        return _username(obj.placed_by)

    @staticmethod
    def resolve_released_by(obj) -> str | None:
        return _username(obj.released_by)


class OverrideOut(CustomerRefOut):
    id: int
    amount_minor: int
    amount: str
    currency: str
    document_kind: str
    document_ref: str
    reason: str
    status: str = Field(description="requested, approved, rejected, consumed (used) or expired")
    valid_days: int
    requested_by: str | None
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str
    expires_at: dt.datetime | None
    consumed_at: dt.datetime | None
    consumed_document_kind: str
    consumed_document_ref: str
    terms_days: int | None = Field(None, description="A terms exception: payment terms allowed up to this many days")

    resolve_amount = formatted_money("amount_minor")

    @staticmethod
    def resolve_status(obj) -> str:
        return override_status_now(obj)

    @staticmethod
    def resolve_requested_by(obj) -> str | None:
        return _username(obj.requested_by)

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return _username(obj.decided_by)


class HoldPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[HoldOut]


class OverridePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OverrideOut]


def check_out(result) -> dict:
    cur = result.currency
    return {**result.details(), "customer_id": result.breakdown.customer_id,
            "exposure": money_text(result.exposure_minor, cur), "limit": money_text(result.limit_minor, cur),
            "available": money_text(result.available_minor, cur)}


def exposure_out(breakdown, *, grade: str, active_holds: int) -> dict:
    cur = breakdown.currency
    return {
        "customer_id": breakdown.customer_id, "as_of": breakdown.as_of, "currency": cur,
        "open_receivables_minor": breakdown.open_receivables_minor,
        "uninvoiced_contracts_minor": breakdown.uninvoiced_contracts_minor,
        "unmatured_bills_minor": breakdown.unmatured_bills_minor, "exposure_minor": breakdown.total_minor,
        "limit_minor": breakdown.limit_minor, "available_minor": breakdown.available_minor,
        "used_bp": breakdown.used_bp, "grade": grade, "active_holds": active_holds,
        "exposure": money_text(breakdown.total_minor, cur), "limit": money_text(breakdown.limit_minor, cur),
        "available": money_text(breakdown.available_minor, cur), "by_currency": breakdown.by_currency,
    }


class CreditSettingsIn(InputSchema):
    unrated_policy: Literal["block", "limit", "warn"] = Field(
        description="block: refuse unrated customers; limit: allow up to unrated_limit_minor until rated; warn: warn")
    unrated_limit_minor: int = Field(description="The default limit until rated, CNY fen, >= 0.")
    guarantee_warn_days: int = Field(30, description="Days before a guarantee expires that it is announced, 1-365.")


class CreditSettingsOut(Schema):
    unrated_policy: str
    unrated_limit_minor: int
    unrated_limit: str
    guarantee_warn_days: int
    currency: str = Field("CNY", description="The default limit is in CNY")
    updated_at: dt.datetime | None = None

    resolve_unrated_limit = formatted_money("unrated_limit_minor")
