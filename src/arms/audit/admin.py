"""The audit trail, read-only: events are appended by services and verified by ``arms audit verify``."""

from django.contrib import admin

from arms.audit.models import AuditEvent
from arms.common.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "occurred_at", "actor_name", "action", "subject_type", "subject_repr")
    list_filter = ("action", "subject_type")
    search_fields = ("action", "actor_name", "subject_repr", "subject_id")
    date_hierarchy = "occurred_at"
    ordering = ("-seq",)
