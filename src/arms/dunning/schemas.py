"""Dunning API shapes. Amounts are integer minor units beside the currency, with a formatted string beside each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from arms.cases.enums import Level
from arms.common.api_types import (
    MAX_ID,
    MAX_MINOR,
    CustomerRefOut,
    DocumentDate,
    InputSchema,
    ObjectId,
    QuerySchema,
    formatted_money,
    inline_choices,
    username_of,
)
from arms.dunning.models import STAGE_TASK_CHOICES, EmailTemplate, Language, LetterKind

#: a stage's task: one of the cases' task kinds a stage can give, or "" for none
StageTask = Literal[tuple(code for code, _label in STAGE_TASK_CHOICES)]

# ---------------------------------------------------------------- policies


class StageIn(InputSchema):
    code: str = Field(max_length=40, pattern=r"^[a-z0-9_-]+$")
    name: str = Field(max_length=100, min_length=1)
    offset_days: int = Field(ge=-365, le=3650, description="Days relative to the due date: -7 before, 30 after.")
    level: inline_choices(Level) = Level.SALES
    send_email: bool = False
    email_template: EmailTemplate = EmailTemplate.OVERDUE
    attach_statement: bool = True
    letter_kind: LetterKind = LetterKind.NONE
    task_kind: StageTask = ""
    stop_supply: bool = False
    deadline_days: int = Field(10, ge=0, le=365)


class DunningPolicyIn(InputSchema):
    code: str = Field(max_length=40, pattern=r"^[a-z0-9_-]+$")
    name: str = Field(max_length=100, min_length=1)
    description: str = ""
    grade: str = Field("", description="A-D, or blank for any grade.")
    industry: str = ""
    region: str = ""
    priority: int = Field(100, ge=0, le=32767)
    grace_days: int = Field(0, ge=0, le=365)
    is_active: bool = True
    stages: list[StageIn] = Field(min_length=1)


class PolicyUpdateIn(InputSchema):
    name: str | None = Field(None, max_length=100, min_length=1)
    description: str | None = None
    grade: str | None = None
    industry: str | None = None
    region: str | None = None
    priority: int | None = Field(None, ge=0, le=32767)
    grace_days: int | None = Field(None, ge=0, le=365)
    is_active: bool | None = None
    stages: list[StageIn] | None = Field(None, description="The whole ladder; stages are matched by code.")


class StageOut(Schema):
    id: int
    code: str
    name: str
    offset_days: int
    level: str
    send_email: bool
    email_template: str
    attach_statement: bool
    letter_kind: str
    task_kind: str
    stop_supply: bool
    deadline_days: int


class DunningPolicyOut(Schema):
    id: int
    code: str
    name: str
    description: str
    grade: str
    industry: str
    region: str
    priority: int
    grace_days: int
    is_active: bool
    stages: list[StageOut]

    @staticmethod
    def resolve_stages(obj) -> list:
        return list(obj.stages.order_by("offset_days"))


# ---------------------------------------------------------------- runs and actions


class RunIn(InputSchema):
    as_of: DocumentDate | None = Field(None, description="The day to dun for; today when empty.")


class RunOut(Schema):
    id: int
    as_of: dt.date
    trigger: str
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    started_by: str | None = None
    actions_count: int
    items_count: int
    skipped_count: int
    held_count: int
    excluded_count: int

    resolve_started_by = username_of("started_by")


class RunPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RunOut]


class EmailOut(Schema):
    id: int
    action_id: int
    customer_id: int
    to: list[str]
    language: str
    subject: str
    status: str
    attempts: int
    last_error: str
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None
    message_id: str

    @staticmethod
    def resolve_to(obj) -> list[str]:
        return obj.recipients


class EmailPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EmailOut]


class ItemOut(Schema):
    invoice_id: int
    invoice_number: str
    outcome: str
    stage_offset: int
    days_past_due: int
    currency: str
    amount_open_minor: int
    interest_minor: int
    penalty_minor: int
    stages_skipped: int = Field(description="Lower stages this item passed over to reach this one.")

    @staticmethod
    def resolve_invoice_number(obj) -> str:
        return obj.invoice.number


class ActionOut(CustomerRefOut):
    id: int
    run_id: int
    as_of: dt.date
    stage_code: str
    stage_name: str
    stage_offset: int
    level: str
    currency: str
    open_minor: int
    open: str
    interest_minor: int
    interest: str
    penalty_minor: int
    penalty: str
    deadline: dt.date
    status: str
    error: str
    assignee: str | None = None
    has_letter: bool
    has_statement: bool
    letter_sha256: str
    email_status: str | None = None

    @staticmethod
    def resolve_stage_code(obj) -> str:
        return obj.stage.code

    @staticmethod
    def resolve_stage_name(obj) -> str:
        return obj.stage.name

    resolve_open = formatted_money("open_minor")

    resolve_interest = formatted_money("interest_minor")

    resolve_penalty = formatted_money("penalty_minor")

    resolve_assignee = username_of("assignee")

    @staticmethod
    def resolve_has_letter(obj) -> bool:
        return bool(obj.letter_pdf)

    @staticmethod
    def resolve_has_statement(obj) -> bool:
        return bool(obj.statement_pdf)

    @staticmethod
    def resolve_email_status(obj) -> str | None:
        email = getattr(obj, "email", None) if hasattr(obj, "email") else None
        return email.status if email else None


class ActionDetailOut(ActionOut):
    items: list[ItemOut]
    email: EmailOut | None = None

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.select_related("invoice").order_by("invoice__due_date", "invoice_id"))

    @staticmethod
    def resolve_email(obj):
        return getattr(obj, "email", None) if hasattr(obj, "email") else None


class ActionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ActionOut]


class ActionFilters(QuerySchema):
    run_id: ObjectId | None = None
    customer_id: ObjectId | None = None
    stage_code: str = Field("", max_length=100)
    status: str = Field("", max_length=100)
    level: str = Field("", max_length=100)
    email_status: str = Field("", max_length=100)


# ---------------------------------------------------------------- exclusions, profile, interest


class ExclusionIn(InputSchema):
    customer_id: int
    reason: str = Field(max_length=300, min_length=1)
    until: DocumentDate | None = None


class LiftIn(InputSchema):
    note: str = Field("", max_length=300)


class ExclusionOut(CustomerRefOut):
    id: int
    reason: str
    until: dt.date | None
    created_at: dt.datetime
    created_by: str | None = None
    lifted_at: dt.datetime | None
    lift_note: str

    resolve_created_by = username_of("created_by")


class ExclusionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ExclusionOut]


class ProfileIn(InputSchema):
    language: Language | str = Field("", description="zh-hans, en, or blank (by region).")
    policy_id: int | None = Field(None, description="A policy for this customer alone; null for the matching one.")


class CustomerDunningOut(Schema):
    customer_id: int
    language: str
    policy_code: str | None
    excluded: bool
    exclusion_reason: str
    stage_offset: int | None
    stage_code: str | None
    stage_level: str | None
    stage_as_of: dt.date | None


class InterestQuery(QuerySchema):
    invoice_id: int | None = Field(None, ge=1, le=MAX_ID,
                                   description="Use the invoice's open amount, due date and contract.")
    as_of: DocumentDate | None = Field(None, description="Today when empty.")
    amount_minor: int | None = Field(None, ge=0, le=MAX_MINOR, description="Integer minor units (query string).")
    due_date: DocumentDate | None = None
    daily_rate: Decimal | None = Field(None, ge=0, le=1, description="Per day, e.g. 0.0005 for 万分之五.")
    penalty_rate: Decimal | None = Field(None, ge=0, le=10, description="Fraction of the overdue amount, e.g. 0.05.")
    grace_days: int = Field(0, ge=0, le=365)


class InterestOut(Schema):
    invoice_id: int | None
    currency: str
    amount_minor: int
    due_date: dt.date
    as_of: dt.date
    days_overdue: int
    daily_rate: Decimal
    tiers: list[dict] = Field([], description="The contract's tiered clause used ({from_day, daily_rate}); empty: "
                                              "the single daily rate was used.")
    penalty_rate: Decimal
    interest_minor: int
    interest: str
    penalty_minor: int
    penalty: str
    total_minor: int
    total: str

