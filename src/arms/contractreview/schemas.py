"""Contract review API shapes: a round with its steps, a decision, signing, a milestone's event, performance."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from arms.common.api_types import DocumentDate, InputSchema, MinorAmount, inline_choices
from arms.common.bounds import MAX_NOTE
from arms.contractreview.enums import Clause


class StepOut(Schema):
    sequence: int
    kind: str
    decision: str
    comment: str
    clauses_confirmed: list[str]
    decided_by: str | None
    decided_at: datetime | None

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return obj.decided_by.username if obj.decided_by else None


class RoundOut(Schema):
    round: int
    status: str
    submitted_by: str
    submitted_at: datetime
    amount_base_minor: int
    credit_check: dict
    clauses: dict[str, bool]
    required_clauses: list[str]
    closed_at: datetime | None
    steps: list[StepOut]

    @staticmethod
    def resolve_submitted_by(obj) -> str:
        return obj.submitted_by.username

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(obj.steps.all())


class ReviewOut(Schema):
    contract_id: int
    status: str
    clauses_now: dict[str, bool] = Field(description="The checklist evaluated from the contract's terms now.")
    rounds: list[RoundOut] = Field(description="Every round, newest first.")


class ReviewDecisionIn(InputSchema):
    decision: Literal["approved", "returned", "rejected"]
    comment: str = Field("", max_length=MAX_NOTE, description="Required to return or reject.")
    confirmed: list[inline_choices(Clause)] = Field([], max_length=len(Clause),
                                                    description="The clauses the reviewer confirmed (to approve, "
                                                                "every required clause).")


class SignIn(InputSchema):
    signed_date: DocumentDate


class MilestoneEventIn(InputSchema):
    event_date: DocumentDate | None = Field(description="Delivered or accepted on; null clears it.")


class MilestonePerformanceOut(Schema):
    sequence: int
    name: str
    share_bp: int
    due_days: int
    amount_minor: int
    event_date: date | None
    invoiced_on: date | None
    lag_days: int | None


class PerformanceOut(Schema):
    contract_id: int
    currency: str
    amount_minor: int
    invoiced_minor: int
    paid_minor: int
    open_minor: int
    overdue_minor: int
    uninvoiced_minor: int
    delivered_minor: int
    deposit_required_minor: int | None
    deposit_received_minor: int | None
    milestones: list[MilestonePerformanceOut]


class AttentionOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str
    end_date: date | None
    review_date: date | None
    currency: str
    amount_minor: int
    invoiced_minor: int
    paid_minor: int
    open_minor: int
    overdue_minor: int


class AttentionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AttentionOut]


class SettingsIn(InputSchema):
    legal_from_minor: MinorAmount
    finance_from_minor: MinorAmount
    guarantee_from_minor: MinorAmount
    reminder_days: int = Field(ge=0, le=365)


class SettingsOut(Schema):
    legal_from_minor: int
    finance_from_minor: int
    guarantee_from_minor: int
    reminder_days: int


class AttentionFilters(Schema):
    days: int | None = Field(None, ge=0, le=3650,
                             description="Days ahead to look; the company's reminder days when not given.")
