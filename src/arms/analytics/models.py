"""Models of analytics: receivables budgets (应收账款预算).

Aging and KPIs are computed from the ledger on request (set-based queries, see ``selectors``), so analytics
keeps no copy of the ledger. What it does keep is what the ledger cannot know: the targets.

Invariants:
- A budget is for one calendar month (``period`` is its first day, checked by the service) and one team: the
  company (no user), a salesperson or a collector. ★ One budget per (month, kind, user); ★ one company budget
  per month; ★ a company budget names no user and a team budget names one.
- ★ Targets are not negative; ★ the overdue-ratio and 回收率 targets are 0-10,000 basis points; ★ at least one
  target is set.
- Amounts are CNY fen, like every KPI amount.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.common.models import TimeStampedModel


class BudgetScope(models.TextChoices):
    COMPANY = "company", _("Company")
    SALESPERSON = "salesperson", _("Salesperson")
    COLLECTOR = "collector", _("Collector")


class Budget(TimeStampedModel):
    period = models.DateField(_("month"), db_index=True, help_text=_("First day of the month the targets are for."))
    scope = models.CharField(
        _("team"), max_length=20, choices=BudgetScope.choices, default=BudgetScope.COMPANY,
        help_text=_("Whose targets: the company's, a salesperson's customers' or a collector's customers'."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="analytics_budgets",
        help_text=_("The salesperson or collector; empty for the company."),
    )
    collections_target_minor = models.BigIntegerField(
        _("collections target (CNY)"), null=True, blank=True,
        help_text=_("Cash to collect in the month, CNY fen; empty for no target."),
    )
    dso_target_days = models.DecimalField(
        _("DSO target (days)"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("Highest acceptable DSO (standard) for the month; empty for no target."),
    )
    overdue_ratio_target_bp = models.PositiveIntegerField(
        _("overdue ratio target (basis points)"), null=True, blank=True,
        help_text=_("Highest acceptable share of receivables overdue at month end, in basis points (1250 = "
                    "12.5%); empty for no target."),
    )
    recovery_rate_target_bp = models.PositiveIntegerField(
        _("recovery rate target (basis points)"), null=True, blank=True,
        help_text=_("Lowest acceptable 回收率 (recovery rate by due date) for the month, in basis points (9500 = "
                    "95%); met when the actual is at least this; empty for no target."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("Why these targets."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who set the targets."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When the targets last changed."))

    class Meta:
        verbose_name = _("receivables budget")
        verbose_name_plural = _("receivables budgets")
        ordering = ["-period", "scope", "user_id"]
        permissions = [
            ("view_analytics", "Can see aging, KPIs and budgets"),
            ("view_team_performance", "Can see every team member's performance"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["period", "scope", "user"], condition=Q(user__isnull=False),
                                    name="budget_unique_per_month_and_team"),
            models.UniqueConstraint(fields=["period"], condition=Q(scope="company"),
                                    name="budget_one_company_budget_per_month"),
            models.CheckConstraint(
                condition=(Q(scope="company") & Q(user__isnull=True))
                | (Q(scope__in=["salesperson", "collector"]) & Q(user__isnull=False)),
                name="budget_team_names_a_user",
            ),
            models.CheckConstraint(
                condition=Q(collections_target_minor__isnull=True) | Q(collections_target_minor__gte=0),
                name="budget_collections_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(dso_target_days__isnull=True) | Q(dso_target_days__gte=0),
                name="budget_dso_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(overdue_ratio_target_bp__isnull=True) | Q(overdue_ratio_target_bp__lte=10_000),
                name="budget_overdue_ratio_target_at_most_100_percent",
            ),
            models.CheckConstraint(
                condition=Q(recovery_rate_target_bp__isnull=True) | Q(recovery_rate_target_bp__lte=10_000),
                name="budget_recovery_rate_target_at_most_100_percent",
            ),
            models.CheckConstraint(
                condition=Q(collections_target_minor__isnull=False) | Q(dso_target_days__isnull=False)
                | Q(overdue_ratio_target_bp__isnull=False) | Q(recovery_rate_target_bp__isnull=False),
                name="budget_has_a_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.scope} {self.user_id or ''}".strip()
