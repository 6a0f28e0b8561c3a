"""Request and response bodies of the legal API (amounts are integer minor units beside their currency)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from arms.common.api_types import InputSchema, ObjectId, QuerySchema, SearchText, formatted_money, inline_choices
from arms.dunning.models import ReviewStatus
from arms.legal.enums import (
    AssetKind,
    CaseKind,
    CaseStatus,
    CostKind,
    EnforcementStatus,
    IssuerMode,
    MandateStatus,
    SettlementStatus,
)

Note = Field("", max_length=1000)


class LegalLetterFilters(QuerySchema):
    status: inline_choices(ReviewStatus) | None = Field(  # type: ignore[valid-type]
        "awaiting", description="awaiting (default), approved, rejected; empty for all.")


class LegalReviewIn(InputSchema):
    note: str = Note


class LegalLetterOut(Schema):
    id: int
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    as_of: date
    deadline: date
    currency: str
    open_minor: int
    open: str | None = None
    interest_minor: int
    interest: str | None = None
    penalty_minor: int
    penalty: str | None = None
    status: str
    review_status: str
    drafted_by_id: int | None
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    review_note: str
    issuer: dict

    resolve_open = formatted_money("open_minor")
    resolve_interest = formatted_money("interest_minor")
    resolve_penalty = formatted_money("penalty_minor")


class LegalLetterPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LegalLetterOut]


class LegalSettingsIn(InputSchema):
    issuer_mode: inline_choices(IssuerMode)  # type: ignore[valid-type]
    firm_name: str = Field("", max_length=200)
    lawyer_name: str = Field("", max_length=100)
    licence_number: str = Field("", max_length=40)
    firm_address: str = Field("", max_length=300)
    firm_phone: str = Field("", max_length=40)
    asset_refresh_days: int = Field(90, ge=1, le=3650)
    settlement_legal_limit_minor: int = Field(5_000_000, ge=0, description="CNY fen.")


class LegalSettingsOut(Schema):
    issuer_mode: str
    firm_name: str
    lawyer_name: str
    licence_number: str
    firm_address: str
    firm_phone: str
    asset_refresh_days: int
    currency: str = "CNY"
    settlement_legal_limit_minor: int
    settlement_legal_limit: str | None = None

    resolve_settlement_legal_limit = formatted_money("settlement_legal_limit_minor")


class LegalCaseFilters(QuerySchema):
    status: inline_choices(CaseStatus) | None = None  # type: ignore[valid-type]
    customer_id: ObjectId | None = None
    open: bool = False
    search: SearchText = ""


class LegalCaseIn(InputSchema):
    customer_id: ObjectId
    kind: inline_choices(CaseKind)  # type: ignore[valid-type]
    forum: str = Field(min_length=1, max_length=200)
    invoice_ids: list[ObjectId] = Field(min_length=1, max_length=500)
    claim_minor: int | None = Field(None, description="Default: what is open on the invoices.")
    note: str = Field("", max_length=4000)


class LegalCaseFileIn(InputSchema):
    filed_on: date
    case_number: str = Field("", max_length=100)


class LegalCaseStatusIn(InputSchema):
    status: inline_choices(CaseStatus)  # type: ignore[valid-type]


class LegalPreservationIn(InputSchema):
    applied_on: date
    ordered_on: date | None = None
    amount_minor: int = 0
    order_number: str = Field("", max_length=100)
    asset_ids: list[ObjectId] = Field([], max_length=200)


class LegalJudgmentIn(InputSchema):
    judgment_on: date
    awarded_minor: int
    awarded_costs_minor: int = 0


class LegalEnforcementIn(InputSchema):
    applied_on: date
    enforcement_case_number: str = Field("", max_length=100)
    enforcement_status: inline_choices(EnforcementStatus) = "applied"  # type: ignore[valid-type]


class LegalHearingIn(InputSchema):
    on: date
    note: str = Note


class LegalCostIn(InputSchema):
    kind: inline_choices(CostKind)  # type: ignore[valid-type]
    on: date
    amount_minor: int = Field(description="CNY fen.")
    note: str = Field("", max_length=500)


class LegalHearingOut(Schema):
    id: int
    on: date
    note: str


class LegalCostOut(Schema):
    id: int
    kind: str
    on: date
    currency: str
    amount_minor: int
    amount: str | None = None
    note: str

    resolve_amount = formatted_money("amount_minor")


class LegalCaseOut(Schema):
    id: int
    reference: str
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    kind: str
    forum: str
    case_number: str
    status: str
    currency: str
    claim_minor: int
    claim: str | None = None
    filed_on: date | None
    recovered_minor: int = 0
    recovered: str | None = None
    costs_minor: int = 0
    costs: str | None = None

    resolve_claim = formatted_money("claim_minor")
    resolve_recovered = formatted_money("recovered_minor")

    @staticmethod
    def resolve_costs(obj) -> str | None:  # costs are in CNY, whatever the claim's currency
        return formatted_money("costs_minor", "cost_currency").__func__(
            {"costs_minor": getattr(obj, "costs_minor", 0), "cost_currency": "CNY"})


class LegalCaseDetailOut(LegalCaseOut):
    note: str
    preservation_applied_on: date | None
    preservation_ordered_on: date | None
    preservation_minor: int
    preservation: str | None = None
    preservation_order_number: str
    judgment_on: date | None
    awarded_minor: int
    awarded: str | None = None
    awarded_costs_minor: int
    awarded_costs: str | None = None
    enforcement_applied_on: date | None
    enforcement_case_number: str
    enforcement_status: str
    invoice_ids: list[int]
    preserved_asset_ids: list[int]
    hearings: list[LegalHearingOut]
    cost_items: list[LegalCostOut]

    resolve_preservation = formatted_money("preservation_minor")
    resolve_awarded = formatted_money("awarded_minor")
    resolve_awarded_costs = formatted_money("awarded_costs_minor")

    @staticmethod
    def resolve_invoice_ids(obj) -> list[int]:
        return [i.pk for i in obj.claims.all()]

    @staticmethod
    def resolve_preserved_asset_ids(obj) -> list[int]:
        return [a.pk for a in obj.preserved_assets.all()]

    @staticmethod
    def resolve_hearings(obj) -> list:
        return list(obj.hearings.all())

    @staticmethod
    def resolve_cost_items(obj) -> list:
        return list(obj.costs.all())


class LegalCasePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LegalCaseOut]


class LegalMandateIn(InputSchema):
    customer_id: ObjectId
    agency_name: str = Field(min_length=1, max_length=200)
    contact: str = Field("", max_length=200)
    licence: str = Field("", max_length=100)
    handed_over_on: date
    fee_share_bp: int = Field(description="Basis points of what is collected, 1500 = 15%.")
    invoice_ids: list[ObjectId] = Field(min_length=1, max_length=500)
    note: str = Note


class LegalMandateEndIn(InputSchema):
    ended_on: date
    note: str = Note


class LegalMandateFilters(QuerySchema):
    status: inline_choices(MandateStatus) | None = None  # type: ignore[valid-type]
    customer_id: ObjectId | None = None


class LegalMandateOut(Schema):
    id: int
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    agency_name: str
    contact: str
    licence: str
    handed_over_on: date
    ended_on: date | None
    fee_share_bp: int
    status: str
    currency: str
    collected_minor: int = 0
    collected: str | None = None
    fee_due_minor: int = 0
    fee_due: str | None = None

    resolve_collected = formatted_money("collected_minor")
    resolve_fee_due = formatted_money("fee_due_minor")


class LegalMandatePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LegalMandateOut]


class LegalSettlementIn(InputSchema):
    invoice_id: ObjectId
    case_id: ObjectId | None = None
    waived_interest_minor: int = 0
    waived_penalty_minor: int = 0
    waived_principal_minor: int = 0
    terms: str = Field(min_length=1, max_length=4000)


class LegalSettlementFilters(QuerySchema):
    status: inline_choices(SettlementStatus) | None = None  # type: ignore[valid-type]
    customer_id: ObjectId | None = None


class LegalSettlementOut(Schema):
    id: int
    customer_id: int
    invoice_id: int
    case_id: int | None
    currency: str
    waived_interest_minor: int
    waived_interest: str | None = None
    waived_penalty_minor: int
    waived_penalty: str | None = None
    waived_principal_minor: int
    waived_principal: str | None = None
    terms: str
    status: str
    requested_by_id: int | None
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str
    credit_note_id: int | None

    resolve_waived_interest = formatted_money("waived_interest_minor")
    resolve_waived_penalty = formatted_money("waived_penalty_minor")
    resolve_waived_principal = formatted_money("waived_principal_minor")


class LegalSettlementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LegalSettlementOut]


class LegalAssetIn(InputSchema):
    customer_id: ObjectId
    kind: inline_choices(AssetKind)  # type: ignore[valid-type]
    description: str = Field(min_length=1, max_length=500)
    location: str = Field("", max_length=300)
    estimated_value_minor: int = Field(0, description="CNY fen; 0 if unknown.")
    encumbrances: str = Field("", max_length=500)
    source: str = Field(min_length=1, max_length=200)
    fact_date: date


class LegalAssetFilters(QuerySchema):
    customer_id: ObjectId | None = None
    kind: inline_choices(AssetKind) | None = None  # type: ignore[valid-type]


class LegalAssetOut(Schema):
    id: int
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    kind: str
    description: str
    location: str
    currency: str = "CNY"
    estimated_value_minor: int
    estimated_value: str | None = None
    encumbrances: str
    source: str
    fact_date: date

    resolve_estimated_value = formatted_money("estimated_value_minor")


class LegalAssetPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LegalAssetOut]


class LegalStaleOut(Schema):
    customer_id: int
    customer_name: str
    newest_fact: date | None
