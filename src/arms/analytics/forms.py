"""Forms of the analytics pages: the aging filters, the KPI period and scope, team weights, budgets.

They check the shape of the input; the rules (bucket bounds, periods, one budget per month and team) are the
services' and come back as ArmsError shown beside the field they name.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.accounts.names import person_name
from arms.analytics.aging import GROUP_BY, AgingFilters
from arms.analytics.models import BudgetScope
from arms.analytics.selectors import UNRATED, scoped_customers
from arms.customers.enums import Industry, Region
from arms.web.forms import AmountField, ServiceErrorMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
GROUP_LABELS = {
    "customer": _("Customer"), "salesperson": _("Salesperson"), "collector": _("Collector"), "region": _("Region"),
    "industry": _("Industry"), "grade": _("Credit grade"), "currency": _("Currency"),
}
GRADE_CHOICES = [("", _("All")), ("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), (UNRATED, _("Unrated"))]


def _all(choices) -> list:
    return [("", _("All")), *choices]


def people_choices(user, role: str) -> list[tuple[str, str]]:
    """The salespeople (or collectors) of the customers ``user`` may see."""
    ids = scoped_customers(user=user).exclude(**{f"{role}__isnull": True}).values_list(f"{role}_id", flat=True)
    people = get_user_model().objects.filter(pk__in=ids).order_by("username")
    return [(str(p.pk), person_name(p)) for p in people]


class AgingForm(ServiceErrorMixin, forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE_INPUT)
    basis = forms.ChoiceField(label=_("Age by"), required=False,
                              choices=[("due", _("Due date")), ("invoice", _("Invoice date"))])
    group_by = forms.ChoiceField(label=_("Group by"), required=False,
                                 choices=[(g, GROUP_LABELS[g]) for g in GROUP_BY])
    buckets = forms.CharField(label=_("Buckets (days)"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"placeholder": "30,60,90,180,365,730"}))
    salesperson = forms.ChoiceField(label=_("Salesperson"), required=False)
    collector = forms.ChoiceField(label=_("Collector"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False, choices=_all(Region.choices))
    industry = forms.ChoiceField(label=_("Industry"), required=False, choices=_all(Industry.choices))
    grade = forms.ChoiceField(label=_("Credit grade"), required=False, choices=GRADE_CHOICES)
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3,
                               widget=forms.TextInput(attrs={"placeholder": "CNY", "size": 4}))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["salesperson"].choices = _all(people_choices(user, "salesperson"))
        self.fields["collector"].choices = _all(people_choices(user, "collector"))

    def arguments(self) -> dict:
        """Keyword arguments for ``aging_report`` (the form must be valid)."""
        data = self.cleaned_data
        return {
            "as_of": data.get("as_of") or timezone.localdate(),
            "basis": data.get("basis") or "due",
            "buckets": (data.get("buckets") or "").strip() or None,
            "group_by": data.get("group_by") or "customer",
            "filters": AgingFilters(
                salesperson_id=int(data["salesperson"]) if data.get("salesperson") else None,
                collector_id=int(data["collector"]) if data.get("collector") else None,
                region=data.get("region") or "", industry=data.get("industry") or "", grade=data.get("grade") or "",
                currency=(data.get("currency") or "").strip().upper(),
            ),
        }


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def preset_period(name: str, today: date) -> tuple[date, date] | None:
    if name == "this_month":
        return today.replace(day=1), today
    if name == "last_month":
        return month_bounds(today.replace(day=1) - timedelta(days=1))
    if name == "this_quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return first, today
    if name == "this_year":
        return date(today.year, 1, 1), today
    if name == "last_12_months":
        start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        for _n in range(10):
            start = (start - timedelta(days=1)).replace(day=1)
        return start, today
    return None


PRESETS = [("", _("Custom")), ("this_month", _("This month")), ("last_month", _("Last month")),
           ("this_quarter", _("This quarter")), ("this_year", _("This year")),
           ("last_12_months", _("Last 12 months"))]


class PeriodForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"start": "start", "end": "end"}

    preset = forms.ChoiceField(label=_("Period"), required=False, choices=PRESETS)
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data
        preset = preset_period(data.get("preset") or "", today)
        if preset:
            return preset
        default_start, default_end = month_bounds(today.replace(day=1) - timedelta(days=1))
        return data.get("start") or default_start, data.get("end") or default_end


class KpiForm(PeriodForm):
    salesperson = forms.ChoiceField(label=_("Salesperson"), required=False)
    collector = forms.ChoiceField(label=_("Collector"), required=False)
    customer = forms.CharField(label=_("Customer code"), required=False, max_length=40)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["salesperson"].choices = _all(people_choices(user, "salesperson"))
        self.fields["collector"].choices = _all(people_choices(user, "collector"))

    def clean_customer(self):
        code = (self.cleaned_data.get("customer") or "").strip()
        if not code:
            return None
        customer = scoped_customers(user=self.user).filter(code=code).first()
        if customer is None:
            raise forms.ValidationError(_("No customer with this code."))
        return customer.pk

    def scope_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "salesperson_id": int(data["salesperson"]) if data.get("salesperson") else None,
            "collector_id": int(data["collector"]) if data.get("collector") else None,
            "customer_id": data.get("customer"),
        }


class TeamForm(PeriodForm):
    turnover = forms.IntegerField(label=_("Weight: turnover"), required=False, min_value=0, max_value=100,
                                  initial=40)
    bad_debt = forms.IntegerField(label=_("Weight: bad debt"), required=False, min_value=0, max_value=100,
                                  initial=30)
    collection = forms.IntegerField(label=_("Weight: collection"), required=False, min_value=0, max_value=100,
                                    initial=30)
    SERVICE_FIELDS = {"weights": "turnover", "start": "start"}

    def weights(self) -> dict[str, int] | None:
        data = self.cleaned_data
        given = {name: data.get(name) for name in ("turnover", "bad_debt", "collection")}
        if all(v is None for v in given.values()):
            return None
        return {name: value or 0 for name, value in given.items()}


class BudgetForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"period": "month", "user_id": "person", "collections_target_minor": "collections_target",
                      "dso_target_days": "dso_target_days", "overdue_ratio_target_bp": "overdue_ratio_target",
                      "recovery_rate_target_bp": "recovery_rate_target"}

    month = forms.CharField(label=_("Month"), max_length=7,
                            widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}))
    scope = forms.ChoiceField(label=_("Team"), choices=BudgetScope.choices)
    person = forms.ChoiceField(label=_("Salesperson or collector"), required=False)
    collections_target = AmountField(label=_("Collections target (CNY)"), required=False)
    dso_target_days = forms.DecimalField(label=_("DSO target (days)"), required=False, min_value=0,
                                         max_value=9999, decimal_places=2)
    overdue_ratio_target = forms.DecimalField(label=_("Overdue ratio target (%)"), required=False, min_value=0,
                                              max_value=100, decimal_places=2)
    recovery_rate_target = forms.DecimalField(
        label=_("Recovery rate target (回收率, %)"), required=False, min_value=0, max_value=100, decimal_places=2,
        help_text=_("The lowest acceptable share collected by the due date, e.g. 95."))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, data=None, *, editing: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        people = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["person"].choices = [("", "—"), *[(str(p.pk), person_name(p)) for p in people]]
        if editing:
            for name in ("month", "scope", "person"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean_month(self):
        text = (self.cleaned_data.get("month") or "").strip()
        if self.fields["month"].disabled:
            return text
        try:
            year, month = (int(part) for part in text.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM.")) from None

    def targets(self) -> dict:
        data = self.cleaned_data
        return {
            "collections_target_minor": data.get("collections_target"),
            "dso_target_days": data.get("dso_target_days"),
            "overdue_ratio_target_bp": _percent_to_bp(data.get("overdue_ratio_target")),
            "recovery_rate_target_bp": _percent_to_bp(data.get("recovery_rate_target")),
            "note": data.get("note") or "",
        }

    @staticmethod
    def initial_for(budget) -> dict:
        target = budget.collections_target_minor
        return {
            "month": f"{budget.period:%Y-%m}", "scope": budget.scope,
            "person": str(budget.user_id or ""),
            "collections_target": f"{Decimal(target) / 100:.2f}" if target is not None else "",
            "dso_target_days": budget.dso_target_days,
            "overdue_ratio_target": _bp_to_percent(budget.overdue_ratio_target_bp),
            "recovery_rate_target": _bp_to_percent(budget.recovery_rate_target_bp), "note": budget.note,
        }


def _percent_to_bp(percent: Decimal | None) -> int | None:
    return int((percent * 100).to_integral_value()) if percent is not None else None


def _bp_to_percent(bp: int | None) -> Decimal | None:
    return Decimal(bp) / 100 if bp is not None else None
