"""Holds and overrides in the admin, read-only: they change only through the audited services (the pages at
/credit/holds/ and the API), so nobody edits a hold's history or approves an override around the checks."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from arms.common.admin import ReadOnlyAdmin, amount_column
from arms.exposure.models import CreditHold, CreditOverride


@admin.register(CreditHold)
class CreditHoldAdmin(ReadOnlyAdmin):
    list_display = ("customer", "reason_code", "active", "placed_by", "placed_at", "released_by", "released_at")
    list_filter = ("active", "reason_code")
    search_fields = ("customer__name", "customer__code", "note", "source_ref")
    list_select_related = ("customer", "placed_by", "released_by")


@admin.register(CreditOverride)
class CreditOverrideAdmin(ReadOnlyAdmin):
    amount_display = amount_column("amount_minor", _("amount"))
    list_display = ("customer", "amount_display", "currency", "document_kind", "document_ref", "status",
                    "requested_by", "decided_by", "expires_at", "consumed_document_ref")
    list_filter = ("status", "document_kind")
    search_fields = ("customer__name", "customer__code", "document_ref", "consumed_document_ref")
    list_select_related = ("customer", "requested_by", "decided_by")
