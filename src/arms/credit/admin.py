"""Credit management in the admin, read-only: every change goes through the services (audited, maker-checker),
so the admin is for looking, and the credit pages at /credit/ for acting."""

from __future__ import annotations

from django.contrib import admin

from arms.common.admin import ReadOnlyAdmin
from arms.credit.models import (
    CreditProfile,
    FinancialStatement,
    GradePolicy,
    LimitChangeRequest,
    Rating,
    RatingProposal,
    ScorecardVersion,
)


@admin.register(CreditProfile)
class CreditProfileAdmin(ReadOnlyAdmin):
    list_display = ("customer", "grade", "score", "limit_minor", "currency", "payment_terms_days", "next_review_on")
    list_filter = ("grade", "prepayment_only")
    search_fields = ("customer__code", "customer__name")


@admin.register(FinancialStatement)
class FinancialStatementAdmin(ReadOnlyAdmin):
    list_display = ("customer", "fiscal_year", "total_assets_minor", "revenue_minor", "audited")
    search_fields = ("customer__code", "customer__name")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("customer", "as_of", "score", "computed_grade", "grade", "trigger", "rated_at", "rated_by")
    list_filter = ("grade", "trigger")
    search_fields = ("customer__code", "customer__name")


@admin.register(RatingProposal)
class RatingProposalAdmin(ReadOnlyAdmin):
    list_display = ("customer", "grade", "limit_minor", "currency", "status", "decided_by", "decided_at")
    list_filter = ("status", "grade")


@admin.register(LimitChangeRequest)
class LimitChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ("customer", "requested_limit_minor", "currency", "status", "requested_by", "credit_approved_by",
                    "finance_approved_by")
    list_filter = ("status", "source")


@admin.register(ScorecardVersion)
class ScorecardVersionAdmin(ReadOnlyAdmin):
    list_display = ("version", "name", "is_active", "created_at", "created_by")


@admin.register(GradePolicy)
class GradePolicyAdmin(ReadOnlyAdmin):
    list_display = ("grade", "limit_kind", "limit_rate", "limit_fixed_minor", "limit_cap_minor", "payment_terms_days",
                    "deposit_pct", "prepayment_only")
