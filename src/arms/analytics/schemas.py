"""Analytics API shapes. Amounts are integer minor units (``*_minor``) beside their currency, with a formatted
string beside each for people; KPI amounts are CNY fen. Rates and days are decimal strings ("53.43")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from arms.accounts.names import person_name
from arms.analytics.aging import AgingFilters, bucket_label
from arms.common.api_types import DocumentDate, InputSchema, MinorAmount, ObjectId, QuerySchema, money_text
from arms.common.pagination import MAX_LIMIT, MAX_OFFSET
from arms.domain.money import BASE_CURRENCY

# ---------------------------------------------------------------- aging


class AgingQuery(QuerySchema):
    as_of: DocumentDate | None = Field(None, description="The day the aging is as of (default today).")
    basis: str = Field("due", max_length=20,
                       description="'due': days past the due date; 'invoice': days since the invoice date.")
    buckets: str = Field("", max_length=200,
                         description="Upper bounds of the buckets in days, e.g. '30,60,90,180,365,730' (default).")
    group_by: str = Field("customer", max_length=20,
                          description="customer, salesperson, collector, region, industry, grade or currency.")
    customer_id: ObjectId | None = None
    salesperson_id: ObjectId | None = None
    collector_id: ObjectId | None = None
    region: str = Field("", max_length=20)
    industry: str = Field("", max_length=20)
    grade: str = Field("", max_length=10, description="A, B, C, D or 'unrated'.")
    currency: str = Field("", max_length=3)

    def filters(self) -> AgingFilters:
        return AgingFilters(customer_id=self.customer_id, salesperson_id=self.salesperson_id,
                            collector_id=self.collector_id, region=self.region, industry=self.industry,
                            grade=self.grade, currency=self.currency.upper())


class AgingDrillQuery(AgingQuery):
    group_by: str = Field("", max_length=20, description="Narrow to one group of the summary (with key).")
    key: str = Field("", max_length=40, description="The group's key as the summary gives it.")
    bucket: int | None = Field(None, ge=0, le=30, description="Index of one bucket.")


class BucketOut(Schema):
    index: int
    key: str
    label: str
    low: int | None
    high: int | None


class AgingPageParams(Schema):
    """A page of the summary's groups; without ``limit`` every group (the totals cover every group either way)."""

    limit: int | None = Field(None, ge=1, le=MAX_LIMIT, description="Groups per page (default: every group).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Groups to skip.")


class AgingRowOut(Schema):
    key: str
    label: str
    currency: str
    count: int
    buckets_minor: list[int]
    disputed_minor: int
    total_minor: int
    overdue_minor: int
    total: str
    base_buckets_minor: list[int]
    base_disputed_minor: int
    base_total_minor: int


class AgingOut(Schema):
    as_of: dt.date
    basis: str
    group_by: str
    buckets: list[BucketOut]
    count: int = Field(description="Groups (rows) in the whole summary, of which ``rows`` is the page asked for.")
    limit: int | None
    offset: int
    rows: list[AgingRowOut]
    totals: list[AgingRowOut] = Field(description="One row per currency.")
    base_total: AgingRowOut = Field(description="Every currency in CNY at the documents' rates.")


def aging_row_out(row) -> dict:
    return {
        "key": row.key, "label": row.label, "currency": row.currency, "count": row.count,
        "buckets_minor": row.buckets, "disputed_minor": row.disputed_minor, "total_minor": row.total_minor,
        "overdue_minor": row.overdue_minor, "total": money_text(row.total_minor, row.currency),
        "base_buckets_minor": row.base_buckets, "base_disputed_minor": row.base_disputed_minor,
        "base_total_minor": row.base_total_minor,
    }


def aging_out(report, *, limit: int | None = None, offset: int = 0) -> dict:
    """The summary with the groups ``offset`` to ``offset + limit`` (every group without a limit): one grouped
    query with LIMIT/OFFSET; the totals are those of every group."""
    rows = report.rows[offset:offset + limit] if limit is not None else report.rows[offset:]
    return {
        "as_of": report.as_of, "basis": report.basis, "group_by": report.group_by,
        "buckets": [{"index": i, "key": b.key, "label": bucket_label(b), "low": b.low, "high": b.high}
                    for i, b in enumerate(report.buckets)],
        "count": len(report.rows), "limit": limit, "offset": offset,
        "rows": [aging_row_out(r) for r in rows],
        "totals": [aging_row_out(r) for r in report.totals],
        "base_total": aging_row_out(report.base_total),
    }


class AgingInvoiceOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_code: str
    customer_name: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    gross_minor: int
    open_minor: int
    open: str
    open_base_minor: int
    bucket: int
    days_overdue: int


class AgingInvoicePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AgingInvoiceOut]


def aging_invoice_out(invoice, as_of: dt.date) -> dict:
    return {
        "id": invoice.pk, "number": invoice.number, "customer_id": invoice.customer_id,
        "customer_code": invoice.customer.code, "customer_name": invoice.customer.name,
        "issue_date": invoice.issue_date, "due_date": invoice.due_date, "currency": invoice.currency,
        "gross_minor": invoice.gross_minor, "open_minor": invoice.open_as_of,
        "open": money_text(invoice.open_as_of, invoice.currency), "open_base_minor": invoice.open_base_as_of,
        "bucket": invoice.bucket, "days_overdue": (as_of - invoice.due_date).days,
    }


# ---------------------------------------------------------------- KPIs and team


class KpiQuery(QuerySchema):
    start: DocumentDate
    end: DocumentDate
    salesperson_id: ObjectId | None = None
    collector_id: ObjectId | None = None
    customer_id: ObjectId | None = None


class KpiTrendQuery(QuerySchema):
    months: int = Field(12, ge=1, le=36)
    end_month: DocumentDate | None = Field(None, description="Any day of the last month (default this month).")
    salesperson_id: ObjectId | None = None
    collector_id: ObjectId | None = None
    customer_id: ObjectId | None = None
    codes: str = Field("", max_length=500, description="KPI codes, comma-separated (default all).")


class KpiOut(Schema):
    code: str
    label: str
    value: Decimal | int | None
    unit: str = Field(description="days, percent, times, count, or amount (CNY fen).")


class KpisOut(Schema):
    start: dt.date
    end: dt.date
    currency: str = BASE_CURRENCY
    kpis: list[KpiOut]


class TeamQuery(QuerySchema):
    start: DocumentDate
    end: DocumentDate
    weights: str = Field("", max_length=100, description="e.g. turnover=40,bad_debt=30,collection=30 (default).")


class TeamRowOut(Schema):
    role: str
    user_id: int
    name: str
    customer_count: int
    receivables_closing_minor: int
    collections_minor: int
    credit_sales_minor: int
    dso: Decimal | None
    overdue_ratio: Decimal | None
    receivables_turnover: Decimal | None
    over_365_share: Decimal | None = Field(description="Receivables over 365 days overdue / receivables, %.")
    bad_debt_ratio: Decimal | None = Field(
        description="坏账率: bad debts written off less recovered in the period / credit sales of the period, %.")
    collection_rate: Decimal | None = Field(description="回款率: cash / (opening receivables + credit sales), %.")
    recovery_rate: Decimal | None = Field(description="回收率: collected by the due date / fell due, %.")
    dunning_success_rate: Decimal | None = Field(
        description="催收成功率: overdue at the start collected in the period / overdue at the start, %.")
    scores: dict[str, Decimal | None] = Field(
        description="Each 0-100: turnover (relative to the best of the role), bad_debt (100 - 10 per % of 坏账率), "
                    "collection "
                    "(催收成功率).")
    score: Decimal | None
    rank: int | None
    fell_overdue: int
    followed_up_24h: int
    follow_up_rate: Decimal | None
    activities: int
    complete_activities: int
    completeness_rate: Decimal | None


def team_row_out(row) -> dict:
    return {
        "role": row.role, "user_id": row.user_id, "name": row.name, "customer_count": row.customer_count,
        "receivables_closing_minor": row.receivables_closing, "collections_minor": row.collections,
        "credit_sales_minor": row.credit_sales, "dso": row.dso, "overdue_ratio": row.overdue_ratio,
        "receivables_turnover": row.receivables_turnover, "over_365_share": row.over_365_share,
        "bad_debt_ratio": row.bad_debt_ratio,
        "collection_rate": row.collection_rate, "recovery_rate": row.recovery_rate,
        "dunning_success_rate": row.dunning_success_rate, "scores": row.scores, "score": row.score, "rank": row.rank,
        "fell_overdue": row.fell_overdue, "followed_up_24h": row.followed_up_24h,
        "follow_up_rate": row.follow_up_rate, "activities": row.activities,
        "complete_activities": row.complete_activities, "completeness_rate": row.completeness_rate,
    }


# ---------------------------------------------------------------- budgets


class BudgetTargetsIn(InputSchema):
    collections_target_minor: MinorAmount | None = Field(None, description="CNY fen to collect in the month.")
    dso_target_days: Decimal | None = Field(None, ge=0, le=9999, max_digits=7, decimal_places=2)
    overdue_ratio_target_bp: int | None = Field(None, ge=0, le=10_000, description="Basis points: 1250 = 12.5%.")
    recovery_rate_target_bp: int | None = Field(
        None, ge=0, le=10_000, description="Lowest acceptable 回收率 (recovery rate by due date), basis points: "
                                           "9500 = 95%.")
    note: str = Field("", max_length=300)


class BudgetIn(BudgetTargetsIn):
    period: DocumentDate = Field(description="The first day of the month.")
    scope: str = Field("company", description="company, salesperson or collector.")
    user_id: int | None = Field(None, description="The salesperson or collector (not for company).")


class BudgetFilters(QuerySchema):
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    scope: str = Field("", max_length=20)
    user_id: ObjectId | None = None


class BudgetOut(Schema):
    id: int
    period: dt.date
    scope: str
    user_id: int | None
    user_name: str
    collections_target_minor: int | None
    dso_target_days: Decimal | None
    overdue_ratio_target_bp: int | None
    recovery_rate_target_bp: int | None
    note: str
    actual_collections_minor: int | None
    actual_dso_days: Decimal | None
    actual_overdue_ratio_bp: int | None
    actual_recovery_rate_bp: int | None
    collections_met: bool | None
    dso_met: bool | None
    overdue_ratio_met: bool | None
    recovery_rate_met: bool | None


class BudgetPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BudgetOut]


def budget_out(actual) -> dict:
    budget = actual.budget
    return {
        "id": budget.pk, "period": budget.period, "scope": budget.scope, "user_id": budget.user_id,
        "user_name": person_name(budget.user) if budget.user_id else "",
        "collections_target_minor": budget.collections_target_minor, "dso_target_days": budget.dso_target_days,
        "overdue_ratio_target_bp": budget.overdue_ratio_target_bp,
        "recovery_rate_target_bp": budget.recovery_rate_target_bp, "note": budget.note,
        "actual_collections_minor": actual.collections_minor, "actual_dso_days": actual.dso_days,
        "actual_overdue_ratio_bp": actual.overdue_ratio_bp, "actual_recovery_rate_bp": actual.recovery_rate_bp,
        "collections_met": actual.collections_met, "dso_met": actual.dso_met,
        "overdue_ratio_met": actual.overdue_ratio_met, "recovery_rate_met": actual.recovery_rate_met,
    }
