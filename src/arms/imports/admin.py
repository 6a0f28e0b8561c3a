"""Import runs, read-only: a record of who imported which file with what outcome."""

from django.contrib import admin

from arms.common.admin import ReadOnlyAdmin
from arms.imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "kind", "filename", "rows", "created", "skipped", "user")
    list_filter = ("kind",)
    search_fields = ("filename", "sha256")
