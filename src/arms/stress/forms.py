"""Forms of the stress pages: a scenario, a run, the settings, the cost-of-overdue filter. Each submits to one
service through ``run_service``; the service's refusal (``slip_share_bp``) is shown beside its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE
from arms.domain import stress as rules
from arms.provisioning.forms import PercentField
from arms.web.forms import AmountField, ServiceErrorMixin


def _days_text(days: int) -> str:
    return gettext("%(days)s days") % {"days": days}


#: "30 天" in the language of the request that renders the form, not of the process that imported it
_days_label = lazy(_days_text, str)


def _grade_choices(grades: tuple[str, ...]) -> list[tuple[str, Any]]:
    return [("", _("None")), *((grade, grade) for grade in grades)]


class ScenarioForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"slip_share_bp": "slip_share", "fx_move_bp": "fx_move"}

    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=MAX_NOTE, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    slip_share = PercentField(label=_("Share of items slipping (%)"), required=False,
                              help_text=_("0 to 100; which items slip is a fixed rule of the invoice number."))
    slip_days = forms.TypedChoiceField(label=_("Paid later by"), coerce=int, empty_value=0, required=False,
                                       choices=[("", _("No slip")), *((d, _days_label(d))
                                                                      for d in rules.SLIP_DAYS)])
    default_top_n = forms.IntegerField(label=_("Largest customers defaulting"), required=False,
                                       help_text=_("How many of the largest customers pay nothing more (1 to 50)."))
    default_grade = forms.ChoiceField(label=_("Credit grade defaulting"), required=False,
                                      choices=_grade_choices(rules.GRADES))
    migrate_grade = forms.ChoiceField(label=_("Credit grade migrating down one grade"), required=False,
                                      choices=_grade_choices(rules.GRADES[:-1]))
    fx_currency = forms.CharField(label=_("Currency of the exchange-rate shock"), max_length=3, required=False,
                                  help_text=_("e.g. USD"))
    fx_move = PercentField(label=_("Exchange-rate move (%)"), required=False,
                           help_text=_("Negative when the currency weakens against CNY, e.g. -10."))
    is_standard = forms.BooleanField(label=_("Standard scenario of the monthly report"), required=False)

    def parameters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"slip_share_bp": data.get("slip_share") or 0, "slip_days": data.get("slip_days") or 0,
                "default_top_n": data.get("default_top_n") or 0, "default_grade": data.get("default_grade") or "",
                "migrate_grade": data.get("migrate_grade") or "",
                "fx_currency": (data.get("fx_currency") or "").strip().upper(), "fx_move_bp": data.get("fx_move") or 0}

    @classmethod
    def initial_for(cls, scenario) -> dict[str, Any]:
        def percent(bp: int):
            return None if not bp else f"{Decimal(bp) / 100:f}"

        return {"name": scenario.name, "description": scenario.description,
                "slip_share": percent(scenario.slip_share_bp), "slip_days": scenario.slip_days or "",
                "default_top_n": scenario.default_top_n or None, "default_grade": scenario.default_grade,
                "migrate_grade": scenario.migrate_grade, "fx_currency": scenario.fx_currency,
                "fx_move": percent(scenario.fx_move_bp), "is_standard": scenario.is_standard}


class RunForm(ServiceErrorMixin, forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("The day the book is read; the 13 weeks start with its week."))


class SettingsForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"opening_cash_minor": "opening_cash", "weekly_outflow_minor": "weekly_outflow",
                      "financing_rate_bp": "financing_rate", "concentration_limit_bp": "concentration_limit"}

    opening_cash = AmountField(label=_("Opening cash balance (CNY)"))
    weekly_outflow = AmountField(label=_("Weekly outflows (CNY)"), min_minor=0,
                                 help_text=_("Payroll, suppliers, tax and other payments, per week."))
    financing_rate = PercentField(label=_("Annual financing rate (%)"),
                                  help_text=_("What money tied up in overdue receivables costs a year, e.g. 4.35."))
    concentration_limit = PercentField(label=_("Concentration limit (%)"),
                                       help_text=_("Above this share of the receivables in one customer the report "
                                                   "advises diversifying."))


class CostForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label=_("Per"), required=False, choices=[
        ("customer", _("Customer")), ("collector", _("Collector")), ("salesperson", _("Salesperson"))])
