"""A company's limitation settings: the defaults until a finance manager or legal changes them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.errors import ValidationFailed
from arms.domain.limitation import MAX_ALERT_DAYS, MAX_PERIOD_YEARS, alert_days_problems
from arms.limitation.models import LimitationSettings

if TYPE_CHECKING:
    from arms.customers.models import Company


def limitation_settings_for(company: Company) -> LimitationSettings:
    """The company's settings, written with the defaults the first time they are needed."""
    found, _created = LimitationSettings.objects.get_or_create(company=company)
    return found


def settings_audit(settings: LimitationSettings) -> dict[str, Any]:
    return {"period_years": settings.period_years, "alert_days": list(settings.alert_days)}


@transaction.atomic
def limitation_settings_update(*, company: Company, actor: Any, period_years: int,
                               alert_days: list[int]) -> LimitationSettings:
    """Change the period and the alert thresholds; every value is checked before anything is written. Clocks
    follow at the next refresh."""
    if isinstance(period_years, bool) or not isinstance(period_years, int) or not (
            1 <= period_years <= MAX_PERIOD_YEARS):
        raise ValidationFailed(_("A whole number of years from 1 to %(max)s.") % {"max": MAX_PERIOD_YEARS},
                               field="period_years")
    if not isinstance(alert_days, list | tuple) or alert_days_problems(list(alert_days)) is not None:
        raise ValidationFailed(
            _("Up to 10 different whole numbers of days from 1 to %(max)s.") % {"max": MAX_ALERT_DAYS},
            field="alert_days")
    settings = limitation_settings_for(company)
    before = settings_audit(settings)
    settings.period_years = period_years
    settings.alert_days = sorted(alert_days, reverse=True)
    settings.save(update_fields=["period_years", "alert_days"])
    audit_record(actor=actor, action="limitation_settings_changed", subject=settings, before=before,
                 after=settings_audit(settings))
    return settings
