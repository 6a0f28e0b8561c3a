from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    currency = models.CharField(_("currency"), max_length=3, help_text=_("The foreign currency, e.g. USD."))
    date = models.DateField(_("date"), help_text=_("Date the rate applies from."))
    rate = models.DecimalField(
        _("rate"), max_digits=18, decimal_places=8, help_text=_("CNY per one unit of the currency, e.g. 7.1234.")
    )
    source = models.CharField(_("source"), max_length=60, blank=True, help_text=_("E.g. 中国人民银行中间价."))

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_unique_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.date} {self.rate}"
