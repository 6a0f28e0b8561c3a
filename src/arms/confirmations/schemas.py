"""Request and response shapes of the confirmations API (/api/v1/confirmations). Names start with
``Confirmation`` so they stay unique in the OpenAPI document."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from arms.common.api_types import (
    DocumentDate,
    InputSchema,
    MinorAmount,
    ObjectId,
    QuerySchema,
    SearchText,
    formatted_money,
    inline_choices,
)
from arms.common.bounds import MAX_NOTE
from arms.confirmations.enums import (
    Answer,
    ConfirmationStatus,
    DifferenceKind,
    DifferenceStatus,
    Frequency,
    ReplyChannel,
    Resolution,
)


class ConfirmationRunIn(InputSchema):
    period: str = Field(..., pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                        description="The month whose end the balances are confirmed as of, YYYY-MM.")
    send: bool = Field(False, description="Also e-mail every prepared letter (small runs; else use /send).")


class ConfirmationRunOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    status: str
    customer_count: int
    prepared_count: int = 0
    sent_count: int = 0
    confirmed_count: int = 0
    disputed_count: int = 0
    created_at: dt.datetime
    job_id: int | None


class ConfirmationRunPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ConfirmationRunOut]


class ConfirmationFilters(QuerySchema):
    run_id: ObjectId | None = None
    period_end: DocumentDate | None = None
    status: inline_choices(ConfirmationStatus) | None = None  # type: ignore[valid-type]
    customer_id: ObjectId | None = None
    search: SearchText = ""


class ConfirmationBalanceOut(Schema):
    currency: str
    opening_minor: int
    closing_minor: int
    opening: str | None
    closing: str | None

    resolve_opening = formatted_money("opening_minor")
    resolve_closing = formatted_money("closing_minor")


class ConfirmationOut(Schema):
    id: int
    run_id: int
    customer_id: int
    customer_code: str
    customer_name: str
    frequency: str
    period_start: dt.date
    period_end: dt.date
    currency: str
    opening_minor: int
    closing_minor: int
    opening: str | None
    closing: str | None
    status: str
    sha256: str
    sent_at: dt.datetime | None
    answer: str
    answered_at: dt.datetime | None
    answer_channel: str
    reminder_count: int

    resolve_opening = formatted_money("opening_minor")
    resolve_closing = formatted_money("closing_minor")

    @staticmethod
    def resolve_customer_code(obj) -> str:
        return obj.customer.code

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.customer.name


class ConfirmationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ConfirmationOut]


class ConfirmationDispatchOut(Schema):
    id: int
    channel: str
    to: str
    sent_at: dt.datetime
    message_id: str
    carrier: str
    tracking_no: str
    sent_on: dt.date | None
    delivered_on: dt.date | None
    note: str


class ConfirmationDifferenceOut(Schema):
    id: int
    confirmation_id: int
    customer_id: int
    invoice_id: int | None
    kind: str
    currency: str
    amount_minor: int
    amount: str | None
    description: str
    owner_id: int | None
    raised_on: dt.date
    deadline: dt.date
    status: str
    resolution: str
    credit_note_id: int | None
    corrected_invoice_id: int | None
    payment_id: int | None
    explanation: str
    resolved_at: dt.datetime | None
    dispute_id: int | None
    task_id: int | None

    resolve_amount = formatted_money("amount_minor")


class ConfirmationDifferencePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ConfirmationDifferenceOut]


class ConfirmationDetailOut(ConfirmationOut):
    balances: list[ConfirmationBalanceOut]
    answer_note: str
    answered_contact_id: int | None
    scan_name: str
    scan_sha256: str
    snapshot: dict
    dispatches: list[ConfirmationDispatchOut]
    differences: list[ConfirmationDifferenceOut]

    @staticmethod
    def resolve_snapshot(obj) -> dict:
        return obj.snapshot_data

    @staticmethod
    def resolve_scan_sha256(obj) -> str:
        return obj.scan.sha256 if obj.scan_id else ""

    @staticmethod
    def resolve_dispatches(obj) -> list:
        return list(obj.dispatches.order_by("sent_at", "id"))

    @staticmethod
    def resolve_differences(obj) -> list:
        return list(obj.differences.order_by("id"))


class ConfirmationPostIn(InputSchema):
    carrier: str = Field(..., min_length=1, max_length=60, description="E.g. EMS.")
    tracking_no: str = Field(..., min_length=1, max_length=60)
    sent_on: DocumentDate
    delivered_on: DocumentDate | None = None
    recipient: str = Field("", max_length=300)
    note: str = Field("", max_length=500)


class ConfirmationDeliveredIn(InputSchema):
    delivered_on: DocumentDate


class ConfirmationDifferenceIn(InputSchema):
    invoice_id: ObjectId | None = Field(None, description="The invoice it is about, if any (the customer's).")
    kind: inline_choices(DifferenceKind)  # type: ignore[valid-type]
    amount_minor: MinorAmount = Field(..., gt=0)
    description: str = Field("", max_length=MAX_NOTE)


class ConfirmationReplyIn(InputSchema):
    answer: inline_choices(Answer)  # type: ignore[valid-type]
    channel: inline_choices(ReplyChannel)  # type: ignore[valid-type]
    note: str = Field("", max_length=MAX_NOTE)
    contact_id: ObjectId | None = Field(None, description="The customer's contact who answered.")
    differences: list[ConfirmationDifferenceIn] = Field(default_factory=list, max_length=200)


class ConfirmationReplyForm(InputSchema):
    """The multipart form of a reply with the scan: ``differences`` is a JSON array in a text field."""

    answer: inline_choices(Answer)  # type: ignore[valid-type]
    channel: inline_choices(ReplyChannel) = ReplyChannel.SCAN  # type: ignore[valid-type]
    note: str = Field("", max_length=MAX_NOTE)
    contact_id: ObjectId | None = None
    differences: str = Field("[]", max_length=200_000, description="JSON array of differences.")


class ConfirmationDifferenceFilters(QuerySchema):
    status: inline_choices(DifferenceStatus) | None = None  # type: ignore[valid-type]
    overdue: bool = False
    owner_id: ObjectId | None = None
    confirmation_id: ObjectId | None = None
    customer_id: ObjectId | None = None


class ConfirmationResolveIn(InputSchema):
    resolution: inline_choices(Resolution)  # type: ignore[valid-type]
    explanation: str = Field("", max_length=MAX_NOTE)
    credit_note_id: ObjectId | None = None
    corrected_invoice_id: ObjectId | None = None
    payment_id: ObjectId | None = None


class ConfirmationRuleSchema(Schema):
    grade: str = Field("", max_length=1)
    industry: str = Field("", max_length=20)
    region: str = Field("", max_length=20)
    frequency: inline_choices(Frequency)  # type: ignore[valid-type]
    active: bool = True


class ConfirmationSettingsIn(InputSchema):
    default_frequency: inline_choices(Frequency)  # type: ignore[valid-type]
    reminder_working_days: int = Field(..., ge=1, le=60)
    task_working_days: int = Field(..., ge=1, le=120)
    difference_working_days: int = Field(..., ge=1, le=60)
    rules: list[ConfirmationRuleSchema] | None = Field(None, max_length=50)


class ConfirmationSettingsOut(Schema):
    default_frequency: str
    reminder_working_days: int
    task_working_days: int
    difference_working_days: int
    rules: list[ConfirmationRuleSchema]

    @staticmethod
    def resolve_rules(obj) -> list:
        return list(obj.rules.all())


class ConfirmationSendOut(Schema):
    sent: int
    no_email: int
