"""Admin: policies and their ladders are editable (finance managers also edit them through the API, audited);
runs, actions, items and e-mails are the record of what dunning did, so they are read-only."""

from __future__ import annotations

from django.contrib import admin

from arms.common.admin import ReadOnlyAdmin, ReadOnlyInline, amount_column
from arms.dunning.models import (
    DunningAction,
    DunningEmail,
    DunningExclusion,
    DunningItem,
    DunningPolicy,
    DunningProfile,
    DunningRun,
    DunningStage,
)


class StageInline(admin.TabularInline):
    model = DunningStage
    extra = 0
    fields = ("offset_days", "code", "name", "level", "send_email", "email_template", "attach_statement",
              "letter_kind", "task_kind", "stop_supply", "deadline_days")


@admin.register(DunningPolicy)
class DunningPolicyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "grade", "industry", "region", "priority", "is_active")
    list_filter = ("is_active", "grade")
    inlines = [StageInline]


@admin.register(DunningProfile)
class DunningProfileAdmin(admin.ModelAdmin):
    list_display = ("customer", "language", "policy")
    raw_id_fields = ("customer",)


@admin.register(DunningExclusion)
class DunningExclusionAdmin(ReadOnlyAdmin):
    list_display = ("customer", "reason", "until", "created_at", "lifted_at")
    list_filter = ("lifted_at",)


class ItemInline(ReadOnlyInline):
    model = DunningItem
    fields = ("invoice", "outcome", "stage_offset", "stages_skipped", "days_past_due", "amount_open_minor",
              "interest_minor")


@admin.register(DunningRun)
class DunningRunAdmin(ReadOnlyAdmin):
    list_display = ("as_of", "trigger", "status", "actions_count", "items_count", "held_count", "started_at")
    list_filter = ("status", "trigger")


@admin.register(DunningAction)
class DunningActionAdmin(ReadOnlyAdmin):
    list_display = ("as_of", "customer", "stage", "level", "open_display", "status")
    list_filter = ("status", "level", "stage__code")
    search_fields = ("customer__code", "customer__name")
    inlines = [ItemInline]
    open_display = amount_column("open_minor", "open")


@admin.register(DunningEmail)
class DunningEmailAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "customer", "to_address", "subject", "status", "attempts", "sent_at")
    list_filter = ("status",)
