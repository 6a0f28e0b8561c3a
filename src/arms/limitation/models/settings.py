from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.domain.limitation import DEFAULT_ALERT_DAYS, DEFAULT_PERIOD_YEARS, MAX_PERIOD_YEARS


def default_alert_days() -> list[int]:
    return list(DEFAULT_ALERT_DAYS)


class LimitationSettings(models.Model):
    """Per company: how long a claim's limitation period is and when its expiry is announced."""

    company = models.OneToOneField("customers.Company", on_delete=models.CASCADE, related_name="limitation_settings",
                                   help_text=_("The company."))
    period_years = models.PositiveSmallIntegerField(
        _("limitation period (years)"), default=DEFAULT_PERIOD_YEARS,
        help_text=_("Years from the day the claim could be enforced or was interrupted (three under the Civil Code)."),
    )
    alert_days = models.JSONField(
        _("alert days"), default=default_alert_days,
        help_text=_("Days before expiry at which the collector and legal are alerted, e.g. 180, 90, 30."),
    )

    class Meta:
        verbose_name = _("limitation settings")
        verbose_name_plural = _("limitation settings")
        constraints = [
            models.CheckConstraint(condition=Q(period_years__gte=1, period_years__lte=MAX_PERIOD_YEARS),
                                   name="limitation_settings_period_1_20"),
        ]

    def __str__(self) -> str:
        return str(self.company)
