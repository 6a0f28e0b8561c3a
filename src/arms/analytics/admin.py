"""Budgets in the admin, read-only: they are set on the budgets page or through the API, by ``budget_create`` and
``budget_update``, which record who changed what in the audit trail."""

from __future__ import annotations

from django.contrib import admin

from arms.analytics.models import Budget
from arms.common.admin import ReadOnlyAdmin


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("period", "scope", "user", "collections_target_minor", "dso_target_days",
                    "overdue_ratio_target_bp", "created_by", "updated_at")
    list_filter = ("scope", "period")
    search_fields = ("user__username", "note")
