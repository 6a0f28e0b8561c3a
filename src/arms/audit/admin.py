"""The audit trail, read-only: events are appended by services and verified by ``arms audit verify``."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from arms.audit.actions import action_label
from arms.audit.models import AuditEvent
from arms.common.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "occurred_at", "actor_name", "action_display", "subject_type", "subject_repr")
    list_filter = ("action", "subject_type")
    search_fields = ("action", "actor_name", "subject_repr", "subject_id")
    date_hierarchy = "occurred_at"
    ordering = ("-seq",)

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, event: AuditEvent) -> str:
        return action_label(event.action)
