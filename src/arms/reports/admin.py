"""Stored report runs in the admin: read-only (a run is made by the service and never edited)."""

from __future__ import annotations

from django.contrib import admin

from arms.common.admin import ReadOnlyAdmin
from arms.reports.models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    list_display = ("filename", "period", "format", "trigger", "generated_at", "generated_by", "size_bytes",
                    "emailed_at")
    list_filter = ("format", "trigger", "period")
    exclude = ("content",)
    list_select_related = ("generated_by",)
    date_hierarchy = "generated_at"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")
