"""Import runs: who imported which file, with what outcome (the permission ``run_import`` lives here)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    kind = models.CharField(_("kind"), max_length=20, help_text=_("customers, contracts, invoices or payments."))
    filename = models.CharField(_("file"), max_length=255, help_text=_("Name of the imported file."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Fingerprint of the file."))
    rows = models.PositiveIntegerField(_("rows"), default=0, help_text=_("Data rows in the file."))
    created = models.PositiveIntegerField(_("created"), default=0, help_text=_("Rows that created something."))
    skipped = models.PositiveIntegerField(_("skipped"), default=0, help_text=_("Rows already in ARMS."))
    started_at = models.DateTimeField(_("started"), auto_now_add=True, help_text=_("When the import ran."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, help_text=_("Who ran it.")
    )

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        permissions = [("run_import", "Can import files")]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"
