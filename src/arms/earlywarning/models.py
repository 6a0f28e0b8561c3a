"""Early warning (预警): indicators, the warnings they raise, and risk signals from the field.

Design overview and invariants (★ = also enforced by the database):

- ``Indicator``: a metric (``arms.domain.earlywarning.METRICS``: its unit, whether it is read per customer or for
  the scope, its window) over a scope (the company, a collector's or a salesperson's customers, a customer group
  by grade / region / industry, one customer), a threshold in the metric's unit (whole days, basis points, CNY
  fen, a count: checked by ``IndicatorFields.clean``, ★ positive), a window where the metric needs one, a
  severity, who is told (roles and named users) and the role responsible for the follow-up task. Finance
  managers edit them; every change is audited with the before and after. The defaults (the seeds' indicators
  and the usual ones) are created on first use (``indicators_ensure_default``: by ``arms setup``, the demo, the
  first evaluation and the indicator page).
- ``Warning``: raised when a subject's reading crosses (``value >= threshold``) and no warning of that indicator
  and subject stands. ★ At most one standing (open or acknowledged) warning per (indicator, subject), so a daily
  evaluation warns once per crossing. It keeps the figures behind it (value, threshold, window, inputs) as JSON,
  is acknowledged with a note by someone entitled (the responsible role or a finance manager), and closes itself
  (status closed, ``closed_on``) at the first evaluation where the reading no longer crosses. A new crossing
  later raises a new warning.
- ``RiskSignal``: a salesperson (or anyone who sees the customer) reports what they noticed in the field, with a
  category, a description, the moment noticed (not in the future) and an optional evidence file. ``late`` says it
  was raised more than 24 hours after it was noticed (the seeds ask for 24 hours). A credit manager who is not
  the reporter acknowledges it (four eyes) and may start a re-rating of the customer (``rating``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.accounts.roles import Role
from arms.common.bounds import MAX_NOTE, text_length_constraint
from arms.domain.earlywarning import METRICS
from arms.earlywarning.enums import (
    STANDING,
    Metric,
    ScopeKind,
    Severity,
    SignalCategory,
    SignalStatus,
    WarningStatus,
)

ROLE_CHOICES = [(role.value, role.value) for role in Role]


class Indicator(models.Model):
    """A risk indicator: a metric over a scope, a threshold and who is told when it is crossed."""

    name = models.CharField(_("name"), max_length=120, help_text=_("What the indicator is called in lists."))
    metric = models.CharField(_("metric"), max_length=40, choices=Metric.choices, help_text=_("What is measured."))
    scope = models.CharField(_("scope"), max_length=20, choices=ScopeKind.choices, default=ScopeKind.COMPANY,
                             help_text=_("Whose receivables are watched."))
    scope_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("The collector or salesperson of the scope."))
    scope_customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="+", help_text=_("The customer of a one-customer scope."))
    scope_value = models.CharField(_("customer group"), max_length=40, blank=True,
                                   help_text=_("The grade, region or industry of a customer-group scope."))
    threshold = models.BigIntegerField(
        _("threshold"), help_text=_("Crossed at this value or above, in the metric's unit: days, basis points "
                                    "(1% = 100), CNY fen or a count."))
    window = models.PositiveIntegerField(_("window"), null=True, blank=True,
                                         help_text=_("Days or months the metric looks back, where it needs one."))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING,
                                help_text=_("How serious a crossing is."))
    notify_roles = models.JSONField(_("roles told"), default=list, blank=True,
                                    help_text=_("Roles whose members are notified of a new warning."))
    notify_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                          verbose_name=_("people told"),
                                          help_text=_("People notified of a new warning, besides the roles."))
    responsible_role = models.CharField(_("responsible role"), max_length=20, choices=ROLE_CHOICES,
                                        default=Role.CREDIT_MANAGER.value,
                                        help_text=_("The role that follows a warning up and may acknowledge it."))
    active = models.BooleanField(_("active"), default=True, help_text=_("Only active indicators are evaluated."))
    builtin = models.CharField(_("default indicator"), max_length=40, blank=True,
                               help_text=_("The code of a shipped default, empty for one a person added."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was created."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When it last changed."))

    class Meta:
        verbose_name = _("risk indicator")
        verbose_name_plural = _("risk indicators")
        ordering = ["metric", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(metric__in=list(METRICS)), name="ew_indicator_metric_known"),
            models.CheckConstraint(condition=Q(scope__in=ScopeKind.values), name="ew_indicator_scope_known"),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="ew_indicator_severity_known"),
            models.CheckConstraint(condition=Q(threshold__gt=0), name="ew_indicator_threshold_positive"),
            models.UniqueConstraint(fields=["builtin"], condition=~Q(builtin=""), name="ew_indicator_builtin_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Warning(models.Model):
    """A crossing of an indicator by one subject (a customer, or the indicator's scope as a whole)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="warnings",
                                  help_text=_("The indicator that was crossed."))
    subject = models.CharField(_("subject"), max_length=40,
                               help_text=_("customer:<id> for a customer's reading, scope for the whole scope."))
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="early_warnings", help_text=_("The customer, for a customer's reading."))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices,
                                help_text=_("The indicator's severity when raised."))
    status = models.CharField(_("status"), max_length=20, choices=WarningStatus.choices, default=WarningStatus.OPEN,
                              help_text=_("Open, acknowledged, or closed when the indicator recovered."))
    value = models.BigIntegerField(_("value"), help_text=_("The reading that crossed, in the metric's unit."))
    threshold = models.BigIntegerField(_("threshold"), help_text=_("The threshold it crossed."))
    figures = models.JSONField(_("figures"), default=dict,
                               help_text=_("The value, threshold, window and the inputs behind them."))
    raised_on = models.DateField(_("raised on"), db_index=True, help_text=_("The evaluation day that raised it."))
    last_value = models.BigIntegerField(_("latest value"), null=True, blank=True,
                                        help_text=_("The reading at the latest evaluation."))
    last_evaluated_on = models.DateField(_("last evaluated on"), null=True, blank=True,
                                         help_text=_("The latest evaluation that saw it."))
    closed_on = models.DateField(_("closed on"), null=True, blank=True,
                                 help_text=_("The evaluation day the indicator had recovered."))
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", help_text=_("Who acknowledged it."))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True,
                                           help_text=_("When it was acknowledged."))
    acknowledgement_note = models.TextField(_("acknowledgement note"), max_length=MAX_NOTE, blank=True,
                                            help_text=_("What is being done about it."))
    task = models.ForeignKey("cases.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text=_("The collection task made for a customer's warning."))

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "subject"], condition=Q(status__in=list(STANDING)),
                                    name="ew_warning_one_standing"),
            models.CheckConstraint(condition=Q(status__in=WarningStatus.values), name="ew_warning_status_known"),
            models.CheckConstraint(condition=Q(status=WarningStatus.CLOSED) | Q(closed_on__isnull=True),
                                   name="ew_warning_closed_on_only_closed"),
            models.CheckConstraint(condition=~Q(status=WarningStatus.CLOSED) | Q(closed_on__isnull=False),
                                   name="ew_warning_closed_has_day"),
            text_length_constraint("acknowledgement_note", MAX_NOTE, name="ew_warning_note_length"),
        ]
        indexes = [
            models.Index(fields=["status", "severity"], name="ew_warning_status"),
            models.Index(fields=["customer", "raised_on"], name="ew_warning_customer"),
        ]
        permissions = [("acknowledge_warning", "Can acknowledge early warnings")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.subject} {self.raised_on}"


class RiskSignal(models.Model):
    """A risk noticed in the field and reported on a customer; acknowledged by a credit manager."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="risk_signals",
                                 help_text=_("The customer it is about."))
    category = models.CharField(_("category"), max_length=30, choices=SignalCategory.choices,
                                help_text=_("What kind of risk was noticed."))
    description = models.TextField(_("description"), max_length=MAX_NOTE, help_text=_("What was seen or heard."))
    observed_at = models.DateTimeField(_("noticed at"), help_text=_("When it was noticed (not in the future)."))
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True, help_text=_("When it was reported in ARMS."))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", help_text=_("Who reported it."))
    late = models.BooleanField(_("raised late"), default=False,
                               help_text=_("Reported more than 24 hours after it was noticed."))
    evidence = models.ForeignKey("common.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", help_text=_("A photo, a notice, a message."))
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True,
                                     help_text=_("The evidence file's name as uploaded."))
    status = models.CharField(_("status"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.RAISED,
                              help_text=_("Waiting for the credit manager, or acknowledged."))
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", help_text=_("The credit manager who acknowledged it."))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True,
                                           help_text=_("When it was acknowledged."))
    acknowledgement_note = models.TextField(_("acknowledgement note"), max_length=MAX_NOTE, blank=True,
                                            help_text=_("The credit manager's assessment."))
    rating = models.ForeignKey("credit.Rating", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               help_text=_("The re-rating the acknowledgement started, if any."))

    class Meta:
        verbose_name = _("risk signal")
        verbose_name_plural = _("risk signals")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SignalStatus.values), name="ew_signal_status_known"),
            models.CheckConstraint(condition=Q(category__in=SignalCategory.values), name="ew_signal_category_known"),
            text_length_constraint("description", MAX_NOTE, name="ew_signal_description_length"),
            text_length_constraint("acknowledgement_note", MAX_NOTE, name="ew_signal_note_length"),
        ]
        indexes = [models.Index(fields=["customer", "raised_at"], name="ew_signal_customer")]
        permissions = [("acknowledge_risksignal", "Can acknowledge risk signals")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.category} {self.raised_at:%Y-%m-%d}"
