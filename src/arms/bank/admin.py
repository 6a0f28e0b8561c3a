"""Bank accounts and cash settings are master data (kept here and on the bank pages); statements, lines and learned
payers are records, read-only in the admin (cash moves only through the services)."""

from django.contrib import admin

from arms.bank.models import BankAccount, BankStatement, CashSettings, PayerAlias, StatementLine
from arms.common.admin import ReadOnlyAdmin


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    list_display = ("name", "bank", "account_number", "currency", "ledger_account", "active")
    list_filter = ("active", "currency")
    search_fields = ("name", "bank", "account_number")


@admin.register(CashSettings)
class CashSettingsAdmin(admin.ModelAdmin):
    list_display = ("company", "auto_threshold", "charge_tolerance_minor", "charge_share_bp")


@admin.register(BankStatement)
class BankStatementAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "account", "format", "first_date", "last_date", "lines_new", "lines_seen")
    search_fields = ("filename", "sha256", "statement_id")


@admin.register(StatementLine)
class StatementLineAdmin(ReadOnlyAdmin):
    list_display = ("booking_date", "account", "amount_minor", "counterparty_name", "status", "confidence")
    list_filter = ("status",)
    search_fields = ("bank_reference", "counterparty_name", "remittance")


@admin.register(PayerAlias)
class PayerAliasAdmin(ReadOnlyAdmin):
    list_display = ("customer", "kind", "value", "created_at", "created_by")
    list_filter = ("kind",)
    search_fields = ("value",)
