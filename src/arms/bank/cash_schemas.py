"""Request and response shapes of the cash-application API (/api/v1/cash)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from arms.bank.cash_selectors import pending_approval_ids
from arms.bank.enums import AliasKind, IgnoredKind, LineStatus
from arms.common.api_types import (
    DocumentDate,
    InputSchema,
    MinorAmount,
    ObjectId,
    QuerySchema,
    formatted_money,
    inline_choices,
)
from arms.ledger.models import Invoice

#: at most this many lines are matched inline by POST /match; more (or none named: every new line) is a job
INLINE_LINES = 20
MAX_LINE_IDS = 200


class MatchIn(InputSchema):
    line_ids: list[ObjectId] | None = Field(
        None, max_length=MAX_LINE_IDS,
        description=f"The lines to (re)match, if still open; up to {INLINE_LINES} are matched at once (200), more "
                    "in a background job (202). Empty: every new line, in a job.",
    )
    account_id: ObjectId | None = Field(None, description="Only lines of this bank account.")
    date: DocumentDate | None = Field(None, description="Only lines booked on this day.")
    auto: bool = Field(True, description="Apply every match at or above the company's threshold (never below).")


class MatchRunOut(Schema):
    lines: int
    auto_applied: int
    suggested: int
    unmatched: int
    ignored: int


class LineFilters(QuerySchema):
    status: inline_choices(LineStatus) | None = None  # type: ignore[valid-type]
    account_id: ObjectId | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class LineOut(Schema):
    id: int
    account_id: int
    booking_date: dt.date
    value_date: dt.date | None
    currency: str
    amount_minor: int
    amount: str
    bank_reference: str
    counterparty_name: str
    counterparty_account: str
    counterparty_bank: str
    remittance: str
    status: str
    ignored_kind: str
    confidence: int
    customer_id: int | None
    payment_id: int | None
    matched_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    note: str

    resolve_amount = formatted_money("amount_minor")


class ReasonOut(Schema):
    code: str
    points: int
    detail: str = ""


class SuggestedAllocationOut(Schema):
    invoice_id: int
    invoice_number: str
    amount_minor: int


class ShareOut(Schema):
    customer_id: int
    payment_id: int
    amount_minor: int


class LineDetailOut(LineOut):
    reasons: list[ReasonOut]
    suggested_allocations: list[SuggestedAllocationOut]
    charge_minor: int
    discount_minor: int = Field(0, description="The early-payment discount the suggestion counts on: applying it "
                                               "posts a discount credit note for it")
    unapplied_minor: int
    shares: list[ShareOut]
    pending_approval_ids: list[int] = Field(description="Four-eyes approvals waiting on the allocation of the "
                                                        "line's receipts (a clerk's decision above the amount)")

    @staticmethod
    def resolve_suggested_allocations(obj) -> list[dict]:
        pairs = (obj.match or {}).get("allocations", [])
        numbers = dict(Invoice.objects.filter(pk__in=[p[0] for p in pairs]).values_list("pk", "number"))
        return [{"invoice_id": pk, "invoice_number": numbers.get(pk, ""), "amount_minor": amount}
                for pk, amount in pairs]

    @staticmethod
    def resolve_charge_minor(obj) -> int:
        match = obj.match or {}
        return int(match.get("charge", 0))

    @staticmethod
    def resolve_discount_minor(obj) -> int:
        return int((obj.match or {}).get("discount", 0))

    @staticmethod
    def resolve_unapplied_minor(obj) -> int:
        return int((obj.match or {}).get("unapplied", 0))

    @staticmethod
    def resolve_pending_approval_ids(obj) -> list[int]:
        return pending_approval_ids(obj)

    @staticmethod
    def resolve_shares(obj) -> list[dict]:
        return [{"customer_id": a.customer_id, "payment_id": a.payment_id, "amount_minor": a.amount_minor}
                for a in obj.applications.order_by("pk")]


class LinePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LineOut]


class AllocationShareIn(InputSchema):
    invoice_id: ObjectId
    amount_minor: MinorAmount = Field(gt=0)


class ShareIn(InputSchema):
    customer_id: ObjectId
    allocations: list[AllocationShareIn] = Field(default_factory=list, max_length=500)
    charge_minor: MinorAmount = Field(0, ge=0, description="A bank charge the payer deducted; settles the invoices "
                                                           "in full and is booked to 6603.")
    amount_minor: MinorAmount | None = Field(
        None, gt=0, description="The cash this customer's share takes; empty: what its allocations take (the last "
                                "share: the rest of the line).",
    )


class ApplyIn(InputSchema):
    shares: list[ShareIn] = Field(min_length=1, max_length=50)
    note: str = Field("", max_length=500)
    learn: bool = Field(True, description="Remember the payer's account and name for the customer (one share).")


class IgnoreIn(InputSchema):
    kind: inline_choices(IgnoredKind)  # type: ignore[valid-type]
    note: str = Field("", max_length=500)


class ResetIn(InputSchema):
    reason: str = Field(min_length=1, max_length=300)


class AliasFilters(QuerySchema):
    customer_id: ObjectId | None = None
    kind: inline_choices(AliasKind) | None = None  # type: ignore[valid-type]


class AliasOut(Schema):
    id: int
    customer_id: int
    customer_code: str = Field(alias="customer.code")
    kind: str
    value: str
    learned_from_id: int | None
    created_at: dt.datetime
    created_by_id: int | None


class AliasPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AliasOut]
