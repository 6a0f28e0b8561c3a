"""Admin plumbing shared by every app: the site's titles, read-only registrations, amounts in columns.

Posted documents (invoices, payments, allocations, journal entries) and the audit trail are created by
services only and never edited, so the admin shows them read-only: no add, no change, no delete.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from arms.domain.money import format_amount

admin.site.site_header = _("ARMS administration")
admin.site.site_title = _("ARMS administration")
admin.site.index_title = _("Master data and ledger records")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to whoever may view the model; nobody adds, changes or deletes through the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def amount_column(field: str, label, *, currency_field: str | None = "currency", currency: str = "CNY"):
    """A ModelAdmin method (assign it in the class body) that shows ``field`` (minor units) as "1,234.56"."""

    @admin.display(description=label, ordering=field)
    def column(_model_admin, obj) -> str:
        value = getattr(obj, field)
        if value is None:
            return "—"
        return format_amount(value, getattr(obj, currency_field) if currency_field else currency)

    column.__name__ = f"{field}_display"
    return column
