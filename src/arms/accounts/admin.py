"""API tokens, read-only: they are made and revoked with ``arms token`` (the secret is shown only once)."""

from django.contrib import admin

from arms.accounts.models import ApiToken
from arms.common.admin import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    exclude = ("key_hash",)
