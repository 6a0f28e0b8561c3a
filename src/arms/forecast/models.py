"""The stored cash-in forecasts (现金流预测) and their lines.

Design overview and invariants (★ = also enforced by the database). The computation is
``arms.forecast.selectors.forecast_compute`` (its docstring and docs/forecast.md say how); the spread of one item
over its predicted dates is the pure ``arms.domain.cashflow``.

- A ``Forecast`` is one computation kept as it was: as of a day, by week (13 by default) or by month (12), with
  or without new sales, made by a person or by the schedule (``created_by`` empty). Never edited: a new run makes
  a new forecast, so what was forecast on a day can be compared with the cash that came (``selectors.accuracy``).
  It keeps its totals: the open items it spread (CNY), what falls beyond the last bucket and the methods of the
  payment-date prediction used (item counts per method). ★ granularity is week or month; ★ periods 1..52.
- A ``ForecastLine`` is one bucket of a forecast in one currency. The CNY line of a bucket (``is_total``) holds
  everything converted, with its band (low/high) and where it comes from (open items, promises, installment
  plans, new sales); the other lines hold the expected amount in each invoice currency. ★ One line per forecast,
  bucket and currency and kind; ★ low <= expected <= high on a total line.
  Σ expected of the total lines without new sales + beyond = the open items (the issue's proof).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arms.domain.money import BASE_CURRENCY


class Granularity(models.TextChoices):
    WEEK = "week", _("By week")
    MONTH = "month", _("By month")


class Forecast(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The company whose receivables are forecast."))
    as_of = models.DateField(_("as of"), db_index=True, help_text=_("The day the open items were taken."))
    granularity = models.CharField(_("granularity"), max_length=10, choices=Granularity.choices,
                                   help_text=_("Buckets of a week (starting on Monday) or a calendar month."))
    periods = models.PositiveSmallIntegerField(_("periods"), help_text=_("How many weeks or months ahead."))
    include_new_sales = models.BooleanField(
        _("with new sales"), default=False,
        help_text=_("Whether the run-rate of new sales is added as a separate line."))
    open_minor = models.BigIntegerField(_("open items (CNY)"),
                                        help_text=_("The open items spread over the buckets, CNY fen."))
    expected_minor = models.BigIntegerField(_("expected in the horizon (CNY)"),
                                            help_text=_("Sum of the buckets' expected cash-in, CNY fen."))
    beyond_minor = models.BigIntegerField(_("beyond the horizon (CNY)"),
                                          help_text=_("Open items expected after the last bucket, CNY fen."))
    new_sales_minor = models.BigIntegerField(_("new sales (CNY)"), default=0,
                                             help_text=_("Cash from new sales in the horizon, CNY fen."))
    item_count = models.PositiveIntegerField(_("open items"), default=0, help_text=_("How many items were spread."))
    methods = models.JSONField(_("prediction methods"), default=dict, blank=True,
                               help_text=_("How many items each payment-date prediction method dated."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was computed."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who ran it; empty when the schedule did."))

    class Meta:
        verbose_name = _("cash-in forecast")
        verbose_name_plural = _("cash-in forecasts")
        ordering = ["-as_of", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(granularity__in=["week", "month"]), name="forecast_granularity_known"),
            models.CheckConstraint(condition=Q(periods__gte=1, periods__lte=52), name="forecast_periods_range"),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} {self.granularity}"


class ForecastLine(models.Model):
    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="lines",
                                 help_text=_("The forecast."))
    seq = models.PositiveSmallIntegerField(_("bucket"), help_text=_("0 for the first week or month, then 1, 2 ..."))
    start = models.DateField(_("from"), help_text=_("The bucket's first day."))
    end = models.DateField(_("to"), help_text=_("The bucket's last day."))
    currency = models.CharField(_("currency"), max_length=3, default=BASE_CURRENCY,
                                help_text=_("CNY on a total line; the invoice currency otherwise."))
    is_total = models.BooleanField(_("total line"), default=False,
                                   help_text=_("All currencies in CNY, with the band and the sources."))
    expected_minor = models.BigIntegerField(_("expected"), help_text=_("Expected cash-in, minor units."))
    low_minor = models.BigIntegerField(_("low"), default=0, help_text=_("Low end of the band (total line), CNY fen."))
    high_minor = models.BigIntegerField(_("high"), default=0,
                                        help_text=_("High end of the band (total line), CNY fen."))
    from_open_items_minor = models.BigIntegerField(_("from open items"), default=0,
                                                   help_text=_("Open items spread over their dates, CNY fen."))
    from_promises_minor = models.BigIntegerField(_("from promises to pay"), default=0,
                                                 help_text=_("Open promises to pay at their dates, CNY fen."))
    from_plans_minor = models.BigIntegerField(_("from installment plans"), default=0,
                                              help_text=_("Unpaid installments at their due dates, CNY fen."))
    from_new_sales_minor = models.BigIntegerField(_("from new sales"), default=0,
                                                  help_text=_("New sales at the run-rate, CNY fen."))

    class Meta:
        verbose_name = _("forecast line")
        verbose_name_plural = _("forecast lines")
        ordering = ["forecast", "seq", "-is_total", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["forecast", "seq", "currency", "is_total"], name="forecast_line_unique"),
            models.CheckConstraint(
                condition=(Q(is_total=False)
                           | Q(low_minor__lte=F("expected_minor"), high_minor__gte=F("expected_minor"))),
                name="forecast_line_band_holds"),
        ]

    def __str__(self) -> str:
        return f"{self.forecast_id}#{self.seq} {self.currency}"
