from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.confirmations.enums import (
    DEFAULT_DIFFERENCE_WORKING_DAYS,
    DEFAULT_REMINDER_WORKING_DAYS,
    DEFAULT_TASK_WORKING_DAYS,
    Frequency,
)


class ConfirmationSettings(models.Model):
    """Per company: how often customers confirm their balance, and how long before reminders and tasks."""

    company = models.OneToOneField("customers.Company", on_delete=models.CASCADE,
                                   related_name="confirmation_settings", help_text=_("The company."))
    default_frequency = models.CharField(
        _("default frequency"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY,
        help_text=_("How often a customer no rule names is asked to confirm."),
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        _("reminder after (working days)"), default=DEFAULT_REMINDER_WORKING_DAYS,
        help_text=_("Working days after sending without an answer before the reminder e-mail."),
    )
    task_working_days = models.PositiveSmallIntegerField(
        _("collector task after (working days)"), default=DEFAULT_TASK_WORKING_DAYS,
        help_text=_("Working days after sending without an answer before the collector gets a task."),
    )
    difference_working_days = models.PositiveSmallIntegerField(
        _("difference deadline (working days)"), default=DEFAULT_DIFFERENCE_WORKING_DAYS,
        help_text=_("Working days from the answer to settle each difference."),
    )

    class Meta:
        verbose_name = _("confirmation settings")
        verbose_name_plural = _("confirmation settings")
        constraints = [
            models.CheckConstraint(condition=Q(reminder_working_days__gte=1, reminder_working_days__lte=60),
                                   name="confirmation_settings_reminder_1_60"),
            models.CheckConstraint(condition=Q(task_working_days__gte=1, task_working_days__lte=120),
                                   name="confirmation_settings_task_1_120"),
            models.CheckConstraint(condition=Q(difference_working_days__gte=1, difference_working_days__lte=60),
                                   name="confirmation_settings_difference_1_60"),
        ]

    def __str__(self) -> str:
        return str(self.company)


class ConfirmationRule(models.Model):
    """A customer matching every non-empty condition confirms at ``frequency``; the first active rule by
    position wins, else the settings' default."""

    settings = models.ForeignKey(ConfirmationSettings, on_delete=models.CASCADE, related_name="rules",
                                 help_text=_("The settings it belongs to."))
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Rules apply in this order."))
    grade = models.CharField(_("credit grade"), max_length=1, blank=True,
                             help_text=_("Credit grade A-D; empty for any."))
    industry = models.CharField(_("industry"), max_length=20, blank=True, help_text=_("Industry; empty for any."))
    region = models.CharField(_("region"), max_length=20, blank=True, help_text=_("Sales region; empty for any."))
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices,
                                 help_text=_("How often these customers confirm."))
    active = models.BooleanField(_("active"), default=True, help_text=_("Only active rules apply."))

    class Meta:
        verbose_name = _("confirmation rule")
        verbose_name_plural = _("confirmation rules")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(grade__in=["", "A", "B", "C", "D"]), name="confirmation_rule_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.grade or '*'}/{self.industry or '*'}/{self.region or '*'}: {self.frequency}"
