"""The ledger in the admin. Posted documents are created by the services and never edited, so invoices,
credit notes, payments, allocations, journal entries and accounts are read-only here. Exchange rates are
master data: they are set through ``exchange_rate_set`` (audited) and never deleted, because postings
already made at a rate keep pointing at it."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from arms.common.admin import ReadOnlyAdmin, ReadOnlyInline, amount_column
from arms.domain.money import format_amount
from arms.ledger.models import (
    Account,
    Allocation,
    CreditNote,
    ExchangeRate,
    Invoice,
    JournalEntry,
    JournalLine,
    LedgerApproval,
    Payment,
)
from arms.ledger.services import exchange_rate_set


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "customer", "issue_date", "due_date", "currency", "gross_display", "open_display")
    list_filter = ("currency", "issue_date")
    search_fields = ("number", "vat_invoice_number", "customer__name", "customer__code")
    list_select_related = ("customer",)
    date_hierarchy = "issue_date"
    gross_display = amount_column("gross_minor", _("gross amount"))
    open_display = amount_column("amount_open_minor", _("open amount"))


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ("number", "customer", "invoice", "date", "currency", "gross_display", "reason")
    search_fields = ("number", "invoice__number", "customer__name")
    list_select_related = ("customer", "invoice")
    gross_display = amount_column("gross_minor", _("gross amount"))


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("number", "customer", "received_date", "method", "currency", "amount_display",
                    "unallocated_display", "status")
    list_filter = ("status", "method", "currency")
    search_fields = ("number", "bank_reference", "payer_name", "bill_number", "customer__name")
    list_select_related = ("customer",)
    date_hierarchy = "received_date"
    amount_display = amount_column("amount_minor", _("amount"))
    unallocated_display = amount_column("amount_unallocated_minor", _("unallocated"))


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("id", "date", "invoice", "payment", "credit_note", "amount_display", "reverses")
    search_fields = ("invoice__number", "payment__number", "credit_note__number")
    list_select_related = ("invoice", "payment", "credit_note")
    @admin.display(description=_("amount"), ordering="amount_minor")
    def amount_display(self, obj) -> str:
        return format_amount(obj.amount_minor, obj.invoice.currency)


class JournalLineInline(ReadOnlyInline):
    model = JournalLine
    fields = ("account", "customer", "debit_display", "credit_display")
    readonly_fields = fields
    debit_display = amount_column("debit_minor", _("debit"), currency_field=None)
    credit_display = amount_column("credit_minor", _("credit"), currency_field=None)


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "date", "kind", "customer", "memo", "created_by")
    list_filter = ("kind",)
    search_fields = ("memo", "customer__name", "customer__code")
    list_select_related = ("customer", "created_by")
    date_hierarchy = "date"
    inlines = [JournalLineInline]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "name_en")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "date", "rate", "source")
    list_filter = ("currency",)
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        return ("currency", "date") if obj is not None else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        saved = exchange_rate_set(actor=request.user, currency=obj.currency, on=obj.date, rate=obj.rate,
                                  source=obj.source)
        obj.pk = saved.pk
        obj._state.adding = False


@admin.register(LedgerApproval)
class LedgerApprovalAdmin(ReadOnlyAdmin):
    """Four-eyes approvals are asked for and decided through the services (audited): read-only here."""

    list_display = ("id", "requested_at", "kind", "status", "customer", "currency", "amount_display", "requested_by",
                    "decided_by")
    list_filter = ("status", "kind")
    search_fields = ("customer__name", "customer__code", "reason")
    list_select_related = ("customer", "requested_by", "decided_by")
    amount_display = amount_column("amount_minor", _("amount"))
