"""Stress scenarios, their runs, and the settings they are measured against. The rules are the pure
``arms.domain.stress`` (docs/stress-tests.md).

Design overview and invariants (★ = also enforced by the database):

- A ``Scenario`` is a saved combination of shocks (slip, largest N default, a grade defaults, a grade migrates
  down, an exchange-rate shock), checked by ``arms.domain.stress.scenario_check`` before it is stored.
  ★ The slip share is 0..10000 bp; ★ N is 0..50; ★ the FX move is −9000..+10000 bp; ★ names are unique per
  company. One scenario per company may be the *standard* one, the one the monthly management report runs
  (★ at most one).
- A ``ScenarioRun`` is one run of a scenario as of a day: what it was run with (``inputs``: the scenario's
  parameters, the settings, the matrix version) and everything it found (``results``), so a report can be
  reproduced and shown again without recomputing. Runs are never edited; they outlive a deleted scenario
  (the scenario's name is kept on the run).
- ``StressSettings`` is one row per company: the opening cash balance and the weekly outflows (CNY fen) the cash
  position is computed from, and the annual financing rate (bp) of the cost of overdue. ★ Amounts within the
  bounds, the rate 0..10000.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE, amount_bound_constraint, text_length_constraint
from arms.domain import stress as rules


class Scenario(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The company."))
    name = models.CharField(_("name"), max_length=100, help_text=_("A short name, e.g. a tenth slips 60 days."))
    description = models.TextField(_("description"), blank=True, help_text=_("What the scenario stands for."))
    slip_share_bp = models.PositiveIntegerField(
        _("share of items slipping"), default=0,
        help_text=_("The share of open items paid later than predicted, in basis points (10000 = 100%)."))
    slip_days = models.PositiveSmallIntegerField(_("slip (days)"), default=0,
                                                 help_text=_("How much later they are paid: 30, 60 or 90 days."))
    default_top_n = models.PositiveSmallIntegerField(
        _("largest customers defaulting"), default=0,
        help_text=_("The number of largest customers (by open balance) that pay nothing more; 0 for none."))
    default_grade = models.CharField(_("grade defaulting"), max_length=1, blank=True,
                                     help_text=_("Every customer of this credit grade pays nothing more."))
    migrate_grade = models.CharField(
        _("grade migrating down"), max_length=1, blank=True,
        help_text=_("Every customer of this grade is treated as one grade worse."))
    fx_currency = models.CharField(_("currency of the exchange-rate shock"), max_length=3, blank=True,
                                   help_text=_("The foreign currency whose rate against CNY moves."))
    fx_move_bp = models.IntegerField(
        _("exchange-rate move"), default=0,
        help_text=_("How much the currency moves against CNY, in basis points (-1000 = 10% weaker)."))
    is_standard = models.BooleanField(
        _("standard scenario"), default=False,
        help_text=_("The scenario the monthly management report runs; at most one per company."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was made."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who made it; empty for the built-in one."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When it was last changed."))

    class Meta:
        verbose_name = _("stress scenario")
        verbose_name_plural = _("stress scenarios")
        ordering = ["-is_standard", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="stress_scenario_name_unique"),
            models.UniqueConstraint(fields=["company"], condition=Q(is_standard=True),
                                    name="stress_scenario_one_standard"),
            models.CheckConstraint(condition=Q(slip_share_bp__lte=rules.FULL_BP),
                                   name="stress_scenario_share_at_most_100"),
            models.CheckConstraint(condition=Q(default_top_n__lte=rules.MAX_TOP_N),
                                   name="stress_scenario_top_n_bounded"),
            models.CheckConstraint(condition=Q(fx_move_bp__gte=rules.MIN_FX_MOVE_BP,
                                               fx_move_bp__lte=rules.MAX_FX_MOVE_BP),
                                   name="stress_scenario_fx_move_bounded"),
            text_length_constraint("description", MAX_NOTE, name="stress_scenario_description_length"),
        ]

    def __str__(self) -> str:
        return self.name

    def parameters(self) -> rules.Scenario:
        return rules.Scenario(slip_share_bp=self.slip_share_bp, slip_days=self.slip_days,
                              default_top_n=self.default_top_n, default_grade=self.default_grade,
                              migrate_grade=self.migrate_grade, fx_currency=self.fx_currency,
                              fx_move_bp=self.fx_move_bp)


class ScenarioRun(models.Model):
    company = models.ForeignKey("customers.Company", on_delete=models.PROTECT, related_name="+",
                                help_text=_("The company."))
    scenario = models.ForeignKey(Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs",
                                 help_text=_("The scenario run; empty once it was deleted."))
    scenario_name = models.CharField(_("scenario"), max_length=100,
                                     help_text=_("The scenario's name when it was run."))
    as_of = models.DateField(_("as of"), help_text=_("The day the book was read and the forecast starts."))
    inputs = models.JSONField(_("inputs"), default=dict,
                              help_text=_("The scenario's parameters, the settings and the matrix version used."))
    results = models.JSONField(_("results"), default=dict,
                               help_text=_("Every figure found: cash-in and cash position per week, ratios, "
                                           "the allowance, base beside stressed."))
    stressed_minimum_minor = models.BigIntegerField(
        _("stressed minimum cash"), default=0, help_text=_("The lowest stressed cash position, CNY fen."))
    allowance_delta_minor = models.BigIntegerField(
        _("allowance change"), default=0, help_text=_("Stressed less base required allowance, CNY fen."))
    created_at = models.DateTimeField(_("run at"), auto_now_add=True, help_text=_("When it was run."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who ran it; empty for the system."))

    class Meta:
        verbose_name = _("scenario run")
        verbose_name_plural = _("scenario runs")
        ordering = ["-created_at", "-id"]
        permissions = [("run_scenario", _("Can run a stress scenario"))]

    def __str__(self) -> str:
        return f"{self.scenario_name} {self.as_of}"


class StressSettings(models.Model):
    """Per company: the cash the stressed cash-in is measured against, and the financing rate of overdue."""

    company = models.OneToOneField("customers.Company", on_delete=models.CASCADE, related_name="stress_settings",
                                   help_text=_("The company."))
    opening_cash_minor = models.BigIntegerField(
        _("opening cash balance"), default=0, help_text=_("Cash at the start of the forecast, CNY fen."))
    weekly_outflow_minor = models.BigIntegerField(
        _("weekly outflows"), default=0, help_text=_("Cash paid out each week (payroll, suppliers, tax), CNY fen."))
    financing_rate_bp = models.PositiveIntegerField(
        _("annual financing rate"), default=435,
        help_text=_("What money tied up in overdue receivables costs a year, in basis points (435 = 4.35%)."))
    concentration_limit_bp = models.PositiveIntegerField(
        _("concentration limit"), default=2000,
        help_text=_("Above this share of the receivables in one customer the report advises diversifying."))

    class Meta:
        verbose_name = _("stress settings")
        verbose_name_plural = _("stress settings")
        constraints = [
            amount_bound_constraint(("opening_cash_minor", "weekly_outflow_minor"), name="stress_settings_amounts"),
            models.CheckConstraint(condition=Q(weekly_outflow_minor__gte=0), name="stress_settings_outflow_positive"),
            models.CheckConstraint(condition=Q(financing_rate_bp__lte=rules.MAX_RATE_BP),
                                   name="stress_settings_rate_at_most_100"),
            models.CheckConstraint(condition=Q(concentration_limit_bp__lte=rules.FULL_BP),
                                   name="stress_settings_concentration_at_most_100"),
        ]

    def __str__(self) -> str:
        return str(self.company)
