"""Forms of the incentive pages: a scheme's terms and people, a mutual rating. Each submits to one service through
``run_service``; a refusal is shown beside its field (``weights`` beside the weight of collections)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from arms.accounts.roles import Role
from arms.common.bounds import MAX_NOTE
from arms.incentives.models import DeductionMode, IncentiveScheme, MemberRole
from arms.incentives.services import MAX_OVERDUE_DAYS, MAX_STEP_DAYS
from arms.provisioning.forms import PercentField
from arms.web.forms import AmountField, ServiceErrorMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
#: form field <- service argument
TERM_FORM_FIELDS = {
    "base_pool_minor": "base_pool", "weight_collections_bp": "weight_collections",
    "weight_recovery_bp": "weight_recovery", "weight_dunning_bp": "weight_dunning",
    "weight_rating_bp": "weight_rating", "dso_step_days": "dso_step_days", "dso_step_bp": "dso_step",
    "dso_both_ways": "dso_both_ways", "overdue_days": "overdue_days", "deduction_mode": "deduction_mode",
    "deduction_per_item_minor": "deduction_per_item", "deduction_bp": "deduction_share", "note": "note",
}


def _people(role: str) -> Any:
    return get_user_model().objects.filter(is_active=True, groups__name=role).order_by("username")


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from arms.accounts.names import person_name

        return person_name(obj)


class SchemeForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {**{arg: name for arg, name in TERM_FORM_FIELDS.items()}, "weights": "weight_collections",
                      "members": "salespeople"}

    period = forms.DateField(label=_("Month"), widget=DATE_INPUT,
                             help_text=_("Any day of the month; the scheme covers the whole month."))
    base_pool = AmountField(label=_("Base bonus pool (CNY)"), min_minor=0)
    weight_collections = PercentField(label=_("Weight of collections (%)"), min_value=0, max_value=100)
    weight_recovery = PercentField(label=_("Weight of the recovery rate (%)"), min_value=0, max_value=100)
    weight_dunning = PercentField(label=_("Weight of the dunning success rate (%)"), min_value=0, max_value=100)
    weight_rating = PercentField(label=_("Weight of the mutual rating (%)"), min_value=0, max_value=100)
    dso_step_days = forms.IntegerField(label=_("DSO step (days)"), min_value=1, max_value=MAX_STEP_DAYS)
    dso_step = PercentField(label=_("Pool change per step (%)"), min_value=0, max_value=100)
    dso_both_ways = forms.BooleanField(label=_("Longer DSO shrinks the pool"), required=False)
    overdue_days = forms.IntegerField(label=_("Deduct items more than this many days overdue"), min_value=0,
                                      max_value=MAX_OVERDUE_DAYS)
    deduction_mode = forms.ChoiceField(label=_("Deduction"), choices=DeductionMode.choices)
    deduction_per_item = AmountField(label=_("Deduction per item (CNY)"), min_minor=0, required=False)
    deduction_share = PercentField(label=_("Deduction share of the overdue amount (%)"), min_value=0,
                                   max_value=100, required=False)
    salespeople = PersonChoiceField(label=_("Salespeople"), queryset=_people(Role.SALES), required=False,
                                    widget=forms.CheckboxSelectMultiple)
    collectors = PersonChoiceField(label=_("Collectors"), queryset=_people(Role.COLLECTOR), required=False,
                                   widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["salespeople"].queryset = _people(Role.SALES)
        self.fields["collectors"].queryset = _people(Role.COLLECTOR)
        if editing:
            self.fields["period"].disabled = True

    @staticmethod
    def initial_for(scheme: IncentiveScheme | None) -> dict[str, Any]:
        from decimal import Decimal

        from arms.domain.money import to_decimal

        source = scheme or IncentiveScheme()
        initial: dict[str, Any] = {}
        for arg, name in TERM_FORM_FIELDS.items():
            value = getattr(source, arg)
            if arg.endswith("_bp"):
                value = Decimal(value) / 100
            elif arg.endswith("_minor"):
                value = to_decimal(value)
            initial[name] = value
        if scheme is not None:
            initial["period"] = scheme.period
            members = list(scheme.members.values_list("user_id", "role"))
            initial["salespeople"] = [uid for uid, role in members if role == MemberRole.SALESPERSON]
            initial["collectors"] = [uid for uid, role in members if role == MemberRole.COLLECTOR]
        return initial

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        terms = {arg: data.get(name) for arg, name in TERM_FORM_FIELDS.items()}
        terms["base_pool_minor"] = terms["base_pool_minor"] or 0
        for arg in ("deduction_per_item_minor", "deduction_bp"):
            if terms[arg] is None:
                terms.pop(arg)
        terms["note"] = terms["note"] or ""
        return terms

    def members(self) -> list[tuple[Any, str]]:
        data = self.cleaned_data
        return ([(u, MemberRole.SALESPERSON) for u in data.get("salespeople") or []]
                + [(u, MemberRole.COLLECTOR) for u in data.get("collectors") or []
                   if u not in (data.get("salespeople") or [])])


class RatingForm(ServiceErrorMixin, forms.Form):
    ratee = forms.TypedChoiceField(label=_("Person rated"), coerce=int)
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ratee"].choices = choices
