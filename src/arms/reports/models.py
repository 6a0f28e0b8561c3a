"""Models of dashboard and management reports.

Design overview and invariants:

- A ``ReportRun`` is one generated report file (the monthly management report as PDF or XLSX) with the
  month it covers, when and by whom (or by the scheduler) it was made, its SHA-256 and who it was e-mailed
  to. Runs are never edited after they are written, except to note the e-mail that went out.
- The bytes are kept in the row itself: a report is small (tens to hundreds of kB), is written in the same
  transaction as its row (no orphan files when a transaction rolls back), and is backed up with the database.
- *The scheduler makes at most one run per (kind, month, format): a conditional unique constraint, so two
  workers that wake at 08:00 on the same morning cannot both generate and e-mail the report.
- *The stored SHA-256 is the hash of the stored bytes (64 hex characters); a download can be verified.
- *A run has a file (size > 0). ``period`` is the first day of its month (the service normalises it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from arms.common.jobs import CONTENT_TYPES as FILE_TYPES


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly management report")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (XLSX)"


class ReportTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    CLI = "cli", _("Command line")
    WEB = "web", _("Web")
    API = "api", _("API")


CONTENT_TYPES = {fmt: FILE_TYPES[f".{fmt}"] for fmt in (ReportFormat.PDF, ReportFormat.XLSX)}


class ReportRun(models.Model):
    kind = models.CharField(
        _("kind"), max_length=20, choices=ReportKind.choices, default=ReportKind.MONTHLY,
        help_text=_("Which report this is."),
    )
    period = models.DateField(
        _("month"), help_text=_("The first day of the month the report covers."),
    )
    format = models.CharField(
        _("format"), max_length=10, choices=ReportFormat.choices, help_text=_("PDF or Excel."),
    )
    filename = models.CharField(
        _("file name"), max_length=200, help_text=_("The name the file is downloaded and attached as."),
    )
    content = models.BinaryField(_("file"), help_text=_("The generated file itself."))
    size_bytes = models.PositiveIntegerField(_("size"), help_text=_("Length of the file in bytes."))
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, help_text=_("Hash of the file, to verify a download."),
    )
    generated_at = models.DateTimeField(_("generated at"), help_text=_("When the file was made."))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who asked for it; empty when the scheduler made it."),
    )
    trigger = models.CharField(
        _("trigger"), max_length=10, choices=ReportTrigger.choices,
        help_text=_("What made it: the monthly schedule, the command line, the web UI or the API."),
    )
    emailed_to = models.JSONField(
        _("e-mailed to"), default=list, blank=True,
        help_text=_("The addresses the report was e-mailed to (empty when it was not sent)."),
    )
    emailed_at = models.DateTimeField(
        _("e-mailed at"), null=True, blank=True, help_text=_("When the SMTP server accepted the e-mail."),
    )

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-period", "-generated_at", "-pk"]
        permissions = [
            ("view_dashboard", _("Can see the dashboard")),
            ("generate_report", _("Can generate a management report")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "format"], condition=models.Q(trigger="schedule"),
                name="report_run_one_scheduled_per_month_and_format",
            ),
            models.CheckConstraint(condition=Exact(Length("sha256"), 64), name="report_run_sha256_is_64_chars"),
            models.CheckConstraint(condition=models.Q(size_bytes__gt=0), name="report_run_file_not_empty"),
        ]
        indexes = [models.Index(fields=["kind", "period", "format"], name="report_run_lookup")]

    def __str__(self) -> str:
        return self.filename

