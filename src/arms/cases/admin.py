"""Admin: read-only views of the evidence (activities, attachments); settings of dispute SLAs are editable.

Activities are evidence: the admin can neither add, change nor delete them (the model and the database refuse
as well). Everything else changes through the services (the case page, the API), so the admin only reads it.
"""

from django.contrib import admin

from arms.cases.models import Activity, Dispute, DisputeReasonSetting, InstallmentPlan, PromiseToPay, Task


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "customer", "kind", "direction", "outcome", "actor", "source", "attachment_name"]
    list_filter = ["kind", "direction", "source"]
    search_fields = ["customer__code", "customer__name", "note", "source_ref"]
    date_hierarchy = "occurred_at"
    exclude = ["attachment"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["due_on", "customer", "title", "level", "assignee", "status", "source"]
    list_filter = ["status", "level", "kind"]
    search_fields = ["customer__code", "customer__name", "title"]


@admin.register(PromiseToPay)
class PromiseAdmin(ReadOnlyAdmin):
    list_display = ["promised_on", "customer", "currency", "amount_minor", "status", "paid_minor", "shortfall_minor"]
    list_filter = ["status"]
    search_fields = ["customer__code", "customer__name"]


@admin.register(InstallmentPlan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["customer", "currency", "total_minor", "status", "requested_by", "decided_by", "starts_on"]
    list_filter = ["status"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ["raised_on", "customer", "invoice", "amount_minor", "reason_code", "department", "status",
                    "sla_due_on"]
    list_filter = ["status", "reason_code", "department"]
    search_fields = ["customer__code", "customer__name", "invoice__number"]


@admin.register(DisputeReasonSetting)
class DisputeReasonSettingAdmin(admin.ModelAdmin):
    list_display = ["reason_code", "sla_working_days", "department"]
