"""Contract API shapes: ContractIn (with milestones), ContractAmendIn, ContractOut with versions and attachments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath

from ninja import Field, Schema

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
    money_text,
)
from arms.common.bounds import MAX_LONG_TEXT
from arms.contracts.models import ContractStatus, DisputeResolution, GuaranteeType
from arms.customers.enums import TermBasis
from arms.domain.money import split_largest_remainder


class MilestoneIn(InputSchema):
    name: str = Field(min_length=1, max_length=100, description="E.g. 预付款, 到货款, 验收款, 质保金.")
    share_bp: int = Field(description="Share of the contract amount in basis points; all shares add up to 10000.")
    due_days: int = Field(0, ge=0, le=3650, description="Days after the milestone event that payment is due.")


class TierIn(InputSchema):
    from_day: int = Field(ge=1, le=36500, description="The first day late this rate applies to (1 = the day after "
                                                      "the due date); strictly ascending.")
    daily_rate: Decimal = Field(ge=0, le=Decimal("0.01"), max_digits=9, decimal_places=7,
                                description="Per day, as a fraction: 0.0005 is 万分之五.")


class TierOut(Schema):
    from_day: int
    daily_rate: Decimal


class ContractIn(InputSchema):
    customer_id: int
    number: str = Field(max_length=60)
    signed_date: DocumentDate
    amount_minor: MinorAmount
    currency: str = Field(None, max_length=3, description="Defaults to the customer's currency.")
    title: str = Field("", max_length=200)
    start_date: DocumentDate | None = None
    end_date: DocumentDate | None = None
    payment_terms_days: int = Field(None, description="Defaults to the customer's terms.")
    payment_terms_basis: TermBasis = None
    late_interest_rate_daily: Decimal = Field(Decimal(0), ge=0, le=1, max_digits=9, decimal_places=7,
                                              description="Per day, as a fraction: 0.0005 is 万分之五.")
    penalty_rate: Decimal = Field(Decimal(0), ge=0, le=1, max_digits=7, decimal_places=4)
    penalty_clause: str = Field("", max_length=MAX_LONG_TEXT)
    guarantee_type: GuaranteeType = GuaranteeType.NONE
    guarantee_details: str = Field("", max_length=MAX_LONG_TEXT)
    dispute_resolution: inline_choices(DisputeResolution) = DisputeResolution.LITIGATION
    dispute_venue: str = Field("", max_length=200)
    acceptance_clause: str = Field("", max_length=MAX_LONG_TEXT)
    governing_law: str = Field("", max_length=100)
    late_interest_tiers: list[TierIn] = Field([], max_length=10, description="Rates that step up with days late; "
                                              "empty: the single daily rate applies.")
    discount_pct: Decimal = Field(Decimal(0), ge=0, le=100, max_digits=5, decimal_places=2,
                                  description="Early-payment discount in percent (2 in 2/10 net 30).")
    discount_days: int = Field(0, ge=0, le=365, description="Days from the invoice date the discount applies.")
    deposit_pct: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2,
                                        description="Deposit share in percent; empty: the customer's credit policy.")
    review_date: DocumentDate | None = None
    status: ContractStatus = Field(ContractStatus.DRAFT, description="A new contract is a draft, reviewed and then "
                                   "signed; recording one already signed (active, completed, terminated) needs "
                                   "contracts.sign_contract.")
    milestones: list[MilestoneIn] = []


class ContractAmendIn(InputSchema):
    """The reason and only the terms that change; ``milestones``, when sent, replace all milestones."""

    reason: str = Field(max_length=300)
    title: str = Field(None, max_length=200)
    signed_date: DocumentDate = None
    start_date: DocumentDate | None = None
    end_date: DocumentDate | None = None
    currency: str = Field(None, max_length=3)
    amount_minor: MinorAmount = None
    payment_terms_days: int = None
    payment_terms_basis: TermBasis = None
    late_interest_rate_daily: Decimal = Field(None, ge=0, le=1, max_digits=9, decimal_places=7)
    penalty_rate: Decimal = Field(None, ge=0, le=1, max_digits=7, decimal_places=4)
    penalty_clause: str = Field(None, max_length=MAX_LONG_TEXT)
    guarantee_type: GuaranteeType = None
    guarantee_details: str = Field(None, max_length=MAX_LONG_TEXT)
    dispute_resolution: inline_choices(DisputeResolution) | None = None
    dispute_venue: str = Field(None, max_length=200)
    acceptance_clause: str = Field(None, max_length=MAX_LONG_TEXT)
    governing_law: str = Field(None, max_length=100)
    late_interest_tiers: list[TierIn] = Field(None, max_length=10)
    discount_pct: Decimal = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    discount_days: int = Field(None, ge=0, le=365)
    deposit_pct: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    review_date: DocumentDate | None = None
    status: ContractStatus = None
    milestones: list[MilestoneIn] = None


class AttachmentIn(InputSchema):
    description: str = Field("", max_length=200, description="What the file is, e.g. 双方盖章版.")


class ContractFilters(QuerySchema):
    customer_id: ObjectId | None = None
    status: ContractStatus | None = None
    search: SearchText = ""


class MilestoneOut(Schema):
    sequence: int
    name: str
    share_bp: int
    due_days: int
    amount_minor: int = Field(description="The milestone's part of the contract amount (largest remainder).")
    amount: str


class VersionOut(Schema):
    version: int
    terms: dict
    reason: str
    amended_by: str
    created_at: datetime


class AttachmentOut(Schema):
    id: int
    filename: str
    description: str
    sha256: str
    created_at: datetime

    @staticmethod
    def resolve_filename(obj) -> str:
        return PurePosixPath(obj.file.name).name


class ContractOut(CustomerRefOut):
    id: int
    number: str
    title: str
    signed_date: date
    start_date: date | None
    end_date: date | None
    currency: str
    amount_minor: int
    amount: str
    payment_terms_days: int
    payment_terms_basis: str
    late_interest_rate_daily: Decimal
    penalty_rate: Decimal
    penalty_clause: str
    guarantee_type: str
    guarantee_details: str
    dispute_resolution: str
    dispute_venue: str
    acceptance_clause: str
    governing_law: str
    late_interest_tiers: list[TierOut]
    discount_pct: Decimal
    discount_days: int
    deposit_pct: Decimal | None
    review_date: date | None
    status: str
    version: int
    created_at: datetime

    resolve_amount = formatted_money("amount_minor")


class ContractDetailOut(ContractOut):
    milestones: list[MilestoneOut]
    versions: list[VersionOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_milestones(obj) -> list[dict]:
        milestones = list(obj.milestones.order_by("sequence"))
        if not milestones:
            return []
        parts = split_largest_remainder(obj.amount_minor, [m.share_bp for m in milestones])
        return [
            {"sequence": m.sequence, "name": m.name, "share_bp": m.share_bp, "due_days": m.due_days,
             "amount_minor": part, "amount": money_text(part, obj.currency)}
            for m, part in zip(milestones, parts, strict=True)
        ]

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.order_by("version"))

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.order_by("id"))


class ContractPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ContractOut]
