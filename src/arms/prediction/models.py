"""Payment-date prediction: model versions and the predicted payment dates of open items.

Design overview and invariants (★ = also enforced by the database). The arithmetic is the pure
``arms.domain.prediction``; training and the backtest are ``arms.prediction.services``.

- A ``ModelVersion`` is one training: the window of settled history it learnt from, how many invoices, the
  features in order, the backtest's metrics (mean absolute error in days and the share within ±7 days, for the
  model and for the two naive baselines, on a time split inside the window), and the fitted model: scikit-learn
  estimators (one per quantile: P10, P50, P90 of days late) pickled by ARMS itself into the attachment store.
  Its SHA-256 is kept beside it and checked before the bytes are ever unpickled; nothing outside ARMS's own
  store is loaded. ★ Numbered 1, 2, 3 ... ; ★ at most one active; a newer training retires the active one,
  an older version can be activated again.
- A ``PaymentPrediction`` is the active model's P10/P50/P90 payment dates of one open invoice, as of the day
  they were computed (``predicted_on``). ★ One per invoice, ★ p10 ≤ p50 ≤ p90. Refreshed in bulk by a job after a
  training and daily; a prediction of an invoice that was settled since is deleted on the next refresh. They are
  derived figures (like a cache), recomputed any time from the model and the ledger.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    RETIRED = "retired", _("Retired")


class ModelVersion(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True, help_text=_("1, 2, 3 ... in order of training."))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.ACTIVE,
                              help_text=_("The active version predicts; retired ones are kept for comparison."))
    algorithm = models.CharField(_("algorithm"), max_length=60, default="HistGradientBoostingRegressor",
                                 help_text=_("The scikit-learn estimator, with quantile loss."))
    window_start = models.DateField(_("training window start"),
                                    help_text=_("First settlement date of the history it learnt from."))
    window_end = models.DateField(_("training window end"),
                                  help_text=_("Last settlement date of the history it learnt from."))
    rows = models.PositiveIntegerField(_("training rows"), help_text=_("Settled invoices it learnt from."))
    features = models.JSONField(_("features"), default=list, help_text=_("Names of the features, in order."))
    metrics = models.JSONField(
        _("metrics"), default=dict,
        help_text=_("Backtest: cutoff, test rows, and per method (model, due date, customer average) the mean "
                    "absolute error in days and the share within 7 days."))
    artifact = models.ForeignKey("common.Attachment", on_delete=models.PROTECT, related_name="+",
                                 help_text=_("The fitted estimators, pickled by ARMS."))
    artifact_sha256 = models.CharField(_("SHA-256"), max_length=64,
                                       help_text=_("Checked against the stored bytes before they are loaded."))
    trained_at = models.DateTimeField(_("trained at"), auto_now_add=True, help_text=_("When it was trained."))
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who started the training (empty: the schedule)."))

    class Meta:
        verbose_name = _("prediction model version")
        verbose_name_plural = _("prediction model versions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"),
                                    name="prediction_one_active_model"),
            models.CheckConstraint(condition=Q(window_end__gte=F("window_start")),
                                   name="prediction_window_ordered"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class PaymentPrediction(models.Model):
    invoice = models.OneToOneField("ledger.Invoice", on_delete=models.CASCADE, related_name="payment_prediction",
                                   help_text=_("The open invoice."))
    model_version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="predictions",
                                      help_text=_("The model that predicted it."))
    p10 = models.DateField(_("P10 date"), help_text=_("One in ten such invoices is paid by this day."))
    p50 = models.DateField(_("P50 date"), help_text=_("The predicted payment date (median)."))
    p90 = models.DateField(_("P90 date"), help_text=_("Nine in ten such invoices are paid by this day."))
    predicted_on = models.DateField(_("predicted on"), help_text=_("The day the prediction was made."))

    class Meta:
        verbose_name = _("payment prediction")
        verbose_name_plural = _("payment predictions")
        constraints = [
            models.CheckConstraint(condition=Q(p10__lte=F("p50")) & Q(p50__lte=F("p90")),
                                   name="prediction_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.p50}"
