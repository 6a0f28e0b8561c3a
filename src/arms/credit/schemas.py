"""Credit API shapes. Money in integer minor units beside its currency (and a formatted string out);
percentages as decimal strings; every input refuses unknown fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

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
    username_of,
)
from arms.credit.enums import BureauRating, Grade, LimitKind, LimitRequestStatus, ProposalStatus


def percent():
    return Field(None, ge=0, le=100, max_digits=5, decimal_places=2, description="0-100, e.g. \"30.00\".")

# ---------------------------------------------------------------- inputs


class CreditFileIn(InputSchema):
    """Only the fields sent change; send null to clear a fact (it becomes unknown)."""

    established_on: DocumentDate | None = None
    registered_capital_minor: MinorAmount | None = Field(None, ge=0)
    legal_representative: str | None = Field(None, max_length=100)
    business_scope: str | None = Field(None, max_length=5000)
    bureau_rating: BureauRating | None = None
    bureau_name: str | None = Field(None, max_length=100)
    lawsuits_count: int | None = Field(None, ge=0, le=32767)
    dishonest_debtor: bool | None = Field(None, description="失信被执行人; forces grade D.")
    business_abnormal: bool | None = Field(None, description="经营异常; caps the grade at C.")
    guarantees_note: str | None = Field(None, max_length=300)
    external_checked_on: DocumentDate | None = None
    overdue_block_days: int | None = Field(None, ge=0, le=3650)
    overdue_block_min_minor: MinorAmount | None = Field(None, ge=0)


class FinancialsIn(InputSchema):
    fiscal_year: int = Field(ge=1900, le=2999)
    total_assets_minor: MinorAmount | None = Field(None, ge=0)
    total_liabilities_minor: MinorAmount | None = Field(None, ge=0)
    current_assets_minor: MinorAmount | None = Field(None, ge=0)
    current_liabilities_minor: MinorAmount | None = Field(None, ge=0)
    revenue_minor: MinorAmount | None = Field(None, ge=0)
    net_profit_minor: MinorAmount | None = None
    operating_cash_flow_minor: MinorAmount | None = None
    audited: bool = False
    source: str = Field("", max_length=100)


class RateIn(InputSchema):
    as_of: DocumentDate | None = Field(None, description="Today when empty.")
    reason: str = Field("", max_length=300)


class ProposalAcceptIn(InputSchema):
    """Empty fields take the proposal's value; any change needs a reason."""

    limit_minor: MinorAmount | None = Field(None, ge=0)
    payment_terms_days: int | None = Field(None, ge=0, le=3650)
    deposit_pct: Decimal | None = percent()
    guarantee_required: bool | None = None
    discount_pct: Decimal | None = percent()
    discount_days: int | None = Field(None, ge=0, le=3650)
    prepayment_only: bool | None = None
    reason: str = Field("", max_length=500)


class ReasonIn(InputSchema):
    reason: str = Field(max_length=500)


class LimitDecisionNoteIn(InputSchema):
    note: str = Field("", max_length=500)


class LimitRequestIn(InputSchema):
    customer_id: int
    requested_limit_minor: MinorAmount = Field(ge=0)
    currency: str | None = Field(None, max_length=3, description="The limit's currency when empty.")
    justification: str = Field(min_length=1, max_length=5000)


class CreditPolicyIn(InputSchema):
    limit_kind: LimitKind | None = None
    limit_fixed_minor: MinorAmount | None = Field(None, ge=0)
    limit_rate: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=4)
    limit_cap_minor: MinorAmount | None = Field(None, ge=0)
    clear_cap: bool = Field(False, description="Remove the cap (limit_cap_minor null).")
    payment_terms_days: int | None = Field(None, ge=0, le=3650)
    deposit_pct: Decimal | None = percent()
    guarantee_required: bool | None = None
    discount_pct: Decimal | None = percent()
    discount_days: int | None = Field(None, ge=0, le=3650)
    prepayment_only: bool | None = None


class ScorecardIn(InputSchema):
    name: str = Field(min_length=1, max_length=100)
    definition: dict
    note: str = Field("", max_length=300)


class ProfileFilters(QuerySchema):
    grade: Grade | None = None
    unrated: bool = False
    due_on: dt.date | None = Field(None, description="Only customers due for review on or before this day.")
    search: SearchText = ""


class ProposalFilters(QuerySchema):
    status: ProposalStatus | None = ProposalStatus.PENDING
    customer_id: ObjectId | None = None


class LimitRequestFilters(QuerySchema):
    status: LimitRequestStatus | None = None
    customer_id: ObjectId | None = None


class RatingFilters(QuerySchema):
    customer_id: ObjectId | None = None


class HistoryQuery(QuerySchema):
    as_of: dt.date | None = None


# ---------------------------------------------------------------- outputs


class ProfileOut(CustomerRefOut):
    grade: str
    score: int | None
    limit_minor: int | None
    limit: str | None
    currency: str
    payment_terms_days: int
    deposit_pct: Decimal
    guarantee_required: bool
    discount_pct: Decimal
    discount_days: int
    prepayment_only: bool
    rated_at: dt.datetime | None
    next_review_on: dt.date | None
    overdue_block_days: int
    overdue_block_min_minor: int
    established_on: dt.date | None
    registered_capital_minor: int | None
    legal_representative: str
    business_scope: str
    bureau_rating: str
    bureau_name: str
    lawsuits_count: int | None
    dishonest_debtor: bool | None
    business_abnormal: bool | None
    guarantees_held_minor: int
    guarantees_note: str
    external_checked_on: dt.date | None
    current_rating_id: int | None

    resolve_limit = formatted_money("limit_minor")


class FinancialsOut(Schema):
    id: int
    customer_id: int
    fiscal_year: int
    total_assets_minor: int | None
    total_liabilities_minor: int | None
    current_assets_minor: int | None
    current_liabilities_minor: int | None
    revenue_minor: int | None
    net_profit_minor: int | None
    operating_cash_flow_minor: int | None
    audited: bool
    source: str


class TradeHistoryOut(Schema):
    customer_id: int
    as_of: dt.date
    first_invoice_on: dt.date | None
    tenure_days: int | None
    volume_12m_minor: int
    avg_monthly_sales_minor: int
    invoices_due_12m: int
    amount_due_12m_minor: int
    amount_on_time_12m_minor: int
    on_time_share_bp: int | None
    avg_days_late: int | None
    max_days_late: int | None
    dispute_count: int
    broken_promises: int


class ContributionOut(Schema):
    key: str
    group: str
    weight: int
    input: str | None
    band: int | None
    band_text: str
    points: int
    centi: int
    contribution: str
    missing: bool


class ProposalOut(CustomerRefOut):
    id: int
    rating_id: int
    status: str
    grade: str
    limit_minor: int
    limit: str | None
    currency: str
    payment_terms_days: int
    deposit_pct: Decimal
    guarantee_required: bool
    discount_pct: Decimal
    discount_days: int
    prepayment_only: bool
    basis: dict
    previous: dict
    accepted: dict
    decided_at: dt.datetime | None
    decided_by: str | None
    decision_reason: str

    resolve_limit = formatted_money("limit_minor")

    resolve_decided_by = username_of("decided_by")


class RatingOut(CustomerRefOut):
    id: int
    as_of: dt.date
    trigger: str
    reason: str
    scorecard_version: int
    score: int
    computed_grade: str
    grade: str
    previous_grade: str
    overrides: list[str]
    missing: list[str]
    rated_at: dt.datetime
    rated_by: str | None
    proposal_id: int | None

    @staticmethod
    def resolve_scorecard_version(obj) -> int:
        return obj.scorecard.version

    resolve_rated_by = username_of("rated_by")

    @staticmethod
    def resolve_proposal_id(obj) -> int | None:
        proposal = getattr(obj, "proposal", None)
        return proposal.pk if proposal else None


class RatingDetailOut(RatingOut):
    inputs: dict
    facts: dict
    contributions: list[ContributionOut]
    recomputed_score: int = Field(description="The score recomputed now from the stored inputs and version.")


class LimitRequestOut(CustomerRefOut):
    id: int
    status: str
    source: str
    currency: str
    current_limit_minor: int | None
    requested_limit_minor: int
    requested_limit: str | None
    justification: str
    needs_credit_manager: bool
    needs_finance_manager: bool
    requested_at: dt.datetime
    requested_by: str
    credit_approved_by: str | None
    credit_approved_at: dt.datetime | None
    finance_approved_by: str | None
    finance_approved_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str

    resolve_requested_limit = formatted_money("requested_limit_minor")

    @staticmethod
    def resolve_requested_by(obj) -> str:
        return obj.requested_by.get_username()

    resolve_credit_approved_by = username_of("credit_approved_by")

    resolve_finance_approved_by = username_of("finance_approved_by")

    resolve_decided_by = username_of("decided_by")


class CreditPolicyOut(Schema):
    grade: str
    limit_kind: str
    limit_fixed_minor: int
    limit_rate: Decimal
    limit_cap_minor: int | None
    payment_terms_days: int
    deposit_pct: Decimal
    guarantee_required: bool
    discount_pct: Decimal
    discount_days: int
    prepayment_only: bool


class ScorecardOut(Schema):
    id: int
    version: int
    name: str
    is_active: bool
    note: str
    created_at: dt.datetime
    definition: dict


class ProfilePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProfileOut]


class RatingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RatingOut]


class ProposalPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProposalOut]


class LimitRequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LimitRequestOut]


class AcceptOut(Schema):
    profile: ProfileOut
    proposal: ProposalOut
    limit_request: LimitRequestOut | None


class DueOut(Schema):
    customer_id: int
    customer_code: str
    customer_name: str
    grade: str
    next_review_on: dt.date | None


class ReviewQueueOut(Schema):
    as_of: dt.date
    due_count: int
    due: list[DueOut]
    proposals: list[ProposalOut]
    limit_requests: list[LimitRequestOut]
    awaiting_me: list[int] = Field(description="Ids of the pending limit requests you can approve now.")


# ---------------------------------------------------------------- guarantees (担保登记)


class GuaranteeFilters(QuerySchema):
    customer_id: ObjectId | None = None
    status: Literal["active", "released", "expired"] | None = None
    expiring_by: dt.date | None = Field(None, description="Active guarantees expiring on or before this day.")
    search: SearchText = ""


class GuaranteeIn(InputSchema):
    customer_id: int
    contract_id: int | None = Field(None, description="The contract it secures, if only one.")
    guarantor: str = Field(max_length=200)
    kind: Literal["personal", "mortgage", "pledge", "bank_guarantee", "deposit"]
    amount_minor: MinorAmount = Field(description="The amount secured, minor units, > 0.")
    currency: str = Field("CNY", max_length=3)
    valid_from: DocumentDate
    expiry_date: DocumentDate
    reference: str = Field("", max_length=100)
    note: str = Field("", max_length=5000)


class GuaranteeReleaseIn(InputSchema):
    note: str = Field(max_length=5000, description="Why the guarantee is released.")


class GuaranteeOut(CustomerRefOut):
    id: int
    contract_id: int | None
    guarantor: str
    kind: str
    amount_minor: int
    amount: str
    currency: str
    valid_from: dt.date
    expiry_date: dt.date
    reference: str
    document_name: str
    status: str
    note: str
    created_at: dt.datetime
    released_at: dt.datetime | None
    release_note: str
    expiry_warned_at: dt.datetime | None

    resolve_amount = formatted_money("amount_minor")


class GuaranteePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[GuaranteeOut]
