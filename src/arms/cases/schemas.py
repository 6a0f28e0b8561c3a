"""Collections API shapes. Amounts are integer minor units (``*_minor``) beside the currency, with a formatted
string beside each for people; inputs refuse unknown fields."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from arms.cases.enums import (
    ActivityKind,
    Department,
    Direction,
    DisputeReason,
    DisputeResolution,
    DisputeStatus,
    Level,
    PlanStatus,
    PromiseStatus,
    TaskKind,
    TaskStatus,
)
from arms.cases.jobs import BUNDLE_NOTE_MAX
from arms.common.api_types import (
    CustomerRefOut,
    DocumentDate,
    InputSchema,
    MinorAmount,
    ObjectId,
    QuerySchema,
    SearchText,
    formatted_money,
    inline_choices,
)

# ---------------------------------------------------------------- inputs


class ActivityIn(InputSchema):
    customer_id: int
    kind: ActivityKind
    direction: Direction = Direction.OUT
    outcome: str = Field("", max_length=40, pattern=r"^[a-z0-9_]*$")
    note: str = Field("", max_length=5000)
    occurred_at: dt.datetime | None = Field(None, description="Now when empty.")
    invoice_ids: list[int] = Field(default_factory=list, max_length=200)


class ActivityUploadIn(ActivityIn):
    """The activity's fields as multipart form fields, beside the file (``invoice_ids`` repeated)."""

    attachment_name: str = Field("", max_length=200, description="The file's name when it differs from the "
                                 "uploaded name.")


class TaskIn(InputSchema):
    customer_id: int
    kind: inline_choices(TaskKind)
    title: str = Field(max_length=200)
    level: inline_choices(Level)
    due_on: DocumentDate
    assignee_id: int | None = Field(None, description="The level's person when empty.")


class TaskCompleteIn(InputSchema):
    outcome: str = Field("done", max_length=40, pattern=r"^[a-z0-9_]*$")
    note: str = Field("", max_length=5000)


class TaskCancelIn(InputSchema):
    note: str = Field("", max_length=500)


class PromiseIn(InputSchema):
    customer_id: int
    amount_minor: MinorAmount
    promised_on: DocumentDate
    made_on: DocumentDate | None = Field(None, description="Today when empty.")
    invoice_ids: list[int] = Field(default_factory=list, max_length=200)
    currency: str | None = Field(None, max_length=3)
    contact_name: str = Field("", max_length=100)
    note: str = Field("", max_length=2000)
    level: inline_choices(Level) = Level.FINANCE


class ScheduleLineIn(InputSchema):
    due_on: DocumentDate
    amount_minor: MinorAmount


class PlanIn(InputSchema):
    customer_id: int
    invoice_ids: list[int] = Field(min_length=1, max_length=200)
    total_minor: MinorAmount | None = Field(None, description="What the invoices owe when empty.")
    installments: int | None = Field(None, ge=1, le=60, description="Equal parts; or give a schedule.")
    first_due_on: DocumentDate | None = None
    every_months: int = Field(1, ge=1, le=12)
    schedule: list[ScheduleLineIn] | None = Field(None, max_length=60)
    grace_days: int = Field(7, ge=0, le=90)
    starts_on: DocumentDate | None = Field(None, description="Today when empty.")
    note: str = Field("", max_length=2000)


class DecisionIn(InputSchema):
    note: str = Field("", max_length=300)


class DisputeIn(InputSchema):
    invoice_id: int
    amount_minor: MinorAmount
    reason_code: DisputeReason
    description: str = Field("", max_length=5000)
    department: Department | None = Field(None, description="The reason's default department when empty.")
    owner_id: int | None = None
    raised_on: DocumentDate | None = Field(None, description="Today when empty.")


class DisputeResolveIn(InputSchema):
    resolution: inline_choices(DisputeResolution)
    note: str = Field("", max_length=2000)
    on: DocumentDate | None = None
    credit_minor: MinorAmount | None = Field(None, description="Gross credit for a credit note; the disputed amount "
                                                               "when empty.")
    corrected_invoice_ref: str = Field("", max_length=60)


class BundleIn(InputSchema):
    recipient: str = Field(max_length=200, description="The agency or law firm the case is handed to.")
    note: str = Field("", max_length=BUNDLE_NOTE_MAX)


class CheckIn(InputSchema):
    date: DocumentDate | None = Field(None, description="Today when empty.")


# ---------------------------------------------------------------- filters


class ActivityFilters(QuerySchema):
    customer_id: ObjectId | None = None
    kind: ActivityKind | None = None
    source: str = Field("", max_length=100)


class TaskFilters(QuerySchema):
    assignee_id: ObjectId | None = None
    customer_id: ObjectId | None = None
    status: TaskStatus | None = None
    due_before: dt.date | None = None
    mine: bool = False


class PromiseFilters(QuerySchema):
    customer_id: ObjectId | None = None
    status: PromiseStatus | None = None


class PlanFilters(QuerySchema):
    customer_id: ObjectId | None = None
    status: PlanStatus | None = None


class DisputeFilters(QuerySchema):
    customer_id: ObjectId | None = None
    invoice_id: ObjectId | None = None
    status: DisputeStatus | None = None
    owner_id: ObjectId | None = None


class WorklistQuery(QuerySchema):
    as_of: dt.date | None = None
    collector_id: ObjectId | None = None
    grade: str = Field("", pattern=r"^(|[ABCDabcd]|unrated)$")
    region: str = Field("", max_length=100)
    bucket: str = Field("", pattern=r"^(|current|1_30|31_60|61_90|91_180|over_180)$")
    has_open_tasks: bool | None = None
    search: SearchText = ""


# ---------------------------------------------------------------- outputs


def _user(user) -> str | None:
    return user.get_username() if user is not None else None


class ActivityOut(CustomerRefOut):
    id: int
    kind: str
    direction: str
    outcome: str
    note: str
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    actor: str | None
    source: str
    source_ref: str
    invoice_ids: list[int]
    attachment_name: str
    attachment_sha256: str
    attachment_size: int | None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return _user(obj.actor)

    @staticmethod
    def resolve_invoice_ids(obj) -> list[int]:
        return sorted(inv.pk for inv in obj.invoices.all())

    @staticmethod
    def resolve_attachment_size(obj) -> int | None:
        return obj.attachment.size if obj.attachment_id else None


class ActivityPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ActivityOut]


class TaskOut(CustomerRefOut):
    id: int
    kind: str
    title: str
    level: str
    due_on: dt.date
    status: str
    assignee: str | None
    assignee_id: int | None
    source: str
    source_ref: str
    activity_id: int | None
    created_at: dt.datetime
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_assignee(obj) -> str | None:
        return _user(obj.assignee)


class TaskPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[TaskOut]


class PromiseOut(CustomerRefOut):
    id: int
    currency: str
    amount_minor: int
    amount: str
    made_on: dt.date
    promised_on: dt.date
    status: str
    paid_minor: int
    shortfall_minor: int
    level: str
    contact_name: str
    note: str
    invoice_ids: list[int]
    closed_on: dt.date | None

    resolve_amount = formatted_money("amount_minor")

    @staticmethod
    def resolve_invoice_ids(obj) -> list[int]:
        return sorted(inv.pk for inv in obj.invoices.all())


class PromisePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PromiseOut]


class InstallmentOut(Schema):
    seq: int
    due_on: dt.date
    amount_minor: int
    paid_minor: int


class PlanOut(CustomerRefOut):
    id: int
    currency: str
    total_minor: int
    total: str
    status: str
    grace_days: int
    starts_on: dt.date
    requested_by: str | None
    decided_by: str | None
    paid_minor: int
    invoice_ids: list[int]
    lines: list[InstallmentOut]

    resolve_total = formatted_money("total_minor")

    @staticmethod
    def resolve_requested_by(obj) -> str | None:
        return _user(obj.requested_by)

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return _user(obj.decided_by)

    @staticmethod
    def resolve_invoice_ids(obj) -> list[int]:
        return sorted(inv.pk for inv in obj.invoices.all())

    @staticmethod
    def resolve_lines(obj) -> list:
        return sorted(obj.lines.all(), key=lambda line: line.seq)


class PlanPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PlanOut]


class DisputeOut(CustomerRefOut):
    id: int
    invoice_id: int
    invoice_number: str
    currency: str
    amount_minor: int
    amount: str
    reason_code: str
    description: str
    department: str
    owner: str | None
    status: str
    raised_on: dt.date
    sla_due_on: dt.date
    resolved_on: dt.date | None
    resolution: str
    resolution_note: str
    credit_note_number: str | None
    corrected_invoice_ref: str

    @staticmethod
    def resolve_invoice_number(obj) -> str:
        return obj.invoice.number

    resolve_amount = formatted_money("amount_minor")

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return _user(obj.owner)

    @staticmethod
    def resolve_credit_note_number(obj) -> str | None:
        return obj.credit_note.number if obj.credit_note_id else None


class DisputePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DisputeOut]


class WorklistRowOut(Schema):
    rank: int
    customer_id: int
    customer_code: str
    customer_name: str
    collector: str | None
    score: int
    score_parts: dict[str, int]
    grade: str
    max_days_overdue: int
    overdue_base_minor: int
    open_by_currency: dict[str, int]
    overdue_by_currency: dict[str, int]
    open_tasks: int
    next_task_due: dt.date | None
    open_promises: int
    open_disputes: int
    broken_promises: int


class WorklistOut(Schema):
    as_of: dt.date
    count: int
    items: list[WorklistRowOut]


class CaseOpenItemOut(Schema):
    id: int
    number: str
    due_date: dt.date
    currency: str
    amount_open_minor: int
    disputed_minor: int
    held_from_dunning: bool


class CaseOut(Schema):
    customer_id: int
    customer_code: str
    customer_name: str
    as_of: dt.date
    balances: dict[str, dict[str, int]]
    open_items: list[CaseOpenItemOut]
    open_tasks: list[TaskOut]
    activities: list[ActivityOut]
    promises: list[PromiseOut]
    plans: list[PlanOut]
    disputes: list[DisputeOut]

