"""A company's confirmation settings: created with the defaults the first time they are needed; changed by a
finance manager."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.errors import ValidationFailed
from arms.confirmations.enums import Frequency
from arms.confirmations.models import ConfirmationRule, ConfirmationSettings
from arms.customers.enums import Industry, Region

if TYPE_CHECKING:
    from arms.customers.models import Company

MAX_RULES = 50
GRADES = ("", "A", "B", "C", "D")


def confirmation_settings_for(company: Company) -> ConfirmationSettings:
    """The company's settings; the first time, the defaults: monthly for everyone, and an example rule "grade A
    quarterly" that is shipped switched off (the seeds ask every customer every month)."""
    found, created = ConfirmationSettings.objects.get_or_create(company=company)
    if created:
        ConfirmationRule.objects.create(settings=found, position=1, grade="A", frequency=Frequency.QUARTERLY,
                                        active=False)
    return found


def settings_audit(settings: ConfirmationSettings) -> dict[str, Any]:
    return {
        "default_frequency": settings.default_frequency, "reminder_working_days": settings.reminder_working_days,
        "task_working_days": settings.task_working_days,
        "difference_working_days": settings.difference_working_days,
        "rules": [{"grade": r.grade, "industry": r.industry, "region": r.region, "frequency": r.frequency,
                   "active": r.active} for r in settings.rules.all()],
    }


def _days(value: Any, field: str, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise ValidationFailed(_("A whole number of working days from 1 to %(limit)s.") % {"limit": limit},
                               field=field)
    return int(value)


def _frequency(value: Any, field: str) -> str:
    if value not in Frequency.values:
        raise ValidationFailed(_("One of: %(choices)s.") % {"choices": ", ".join(Frequency.values)}, field=field)
    return str(value)


@transaction.atomic
def confirmation_settings_update(*, company: Company, actor: Any, default_frequency: str, reminder_working_days: int,
                                 task_working_days: int, difference_working_days: int,
                                 rules: list[dict[str, Any]] | None = None) -> ConfirmationSettings:
    """Replace the settings (and, when ``rules`` is given, the rules in the order given). Every value is checked
    before anything is written."""
    settings = confirmation_settings_for(company)
    before = settings_audit(settings)
    _frequency(default_frequency, "default_frequency")
    _days(reminder_working_days, "reminder_working_days", 60)
    _days(task_working_days, "task_working_days", 120)
    _days(difference_working_days, "difference_working_days", 60)
    if task_working_days <= reminder_working_days:
        raise ValidationFailed(_("The collector's task comes after the reminder: give more working days."),
                               field="task_working_days")
    checked = []
    if rules is not None:
        if len(rules) > MAX_RULES:
            raise ValidationFailed(_("At most %(n)s rules.") % {"n": MAX_RULES}, field="rules")
        for index, rule in enumerate(rules):
            field = f"rules[{index}]"
            grade = rule.get("grade") or ""
            industry = rule.get("industry") or ""
            region = rule.get("region") or ""
            if grade not in GRADES:
                raise ValidationFailed(_("A credit grade A-D, or empty for any."), field=f"{field}.grade")
            if industry and industry not in Industry.values:
                raise ValidationFailed(_("Not an industry ARMS knows."), field=f"{field}.industry")
            if region and region not in Region.values:
                raise ValidationFailed(_("Not a region ARMS knows."), field=f"{field}.region")
            if not (grade or industry or region):
                raise ValidationFailed(_("A rule names a grade, an industry or a region."), field=field)
            checked.append(ConfirmationRule(
                settings=settings, position=index + 1, grade=grade, industry=industry, region=region,
                frequency=_frequency(rule.get("frequency"), f"{field}.frequency"),
                active=bool(rule.get("active", True)),
            ))
    settings.default_frequency = default_frequency
    settings.reminder_working_days = reminder_working_days
    settings.task_working_days = task_working_days
    settings.difference_working_days = difference_working_days
    settings.save(update_fields=["default_frequency", "reminder_working_days", "task_working_days",
                                 "difference_working_days"])
    if rules is not None:
        settings.rules.all().delete()
        ConfirmationRule.objects.bulk_create(checked)
    audit_record(actor=actor, action="confirmation_settings_changed", subject=settings, before=before,
                 after=settings_audit(settings))
    return settings


def frequency_for(*, settings: ConfirmationSettings, rules: list[ConfirmationRule], grade: str, industry: str,
                  region: str) -> str:
    """The first active rule (by position) whose every non-empty condition the customer meets, else the default."""
    for rule in rules:
        if not rule.active:
            continue
        if rule.grade and rule.grade != grade:
            continue
        if rule.industry and rule.industry != industry:
            continue
        if rule.region and rule.region != region:
            continue
        return rule.frequency
    return settings.default_frequency
