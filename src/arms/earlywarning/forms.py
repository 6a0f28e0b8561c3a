"""Forms of the early-warning pages: an indicator, acknowledging a warning, raising and acknowledging a risk
signal. Each submits to one service through ``run_service``.

A person types a threshold in the metric's own terms: whole days or a count, a percentage (``12.5`` for 12.5%,
stored as 1250 basis points), or an amount in yuan (stored in fen). ``threshold_from_text`` turns it into the
integer the service checks; text that is not a number of that kind is refused beside the field.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from arms.accounts.names import person_name
from arms.accounts.roles import ROLE_LABELS, Role
from arms.common.bounds import MAX_NOTE
from arms.common.errors import money_message
from arms.credit.enums import Grade
from arms.customers.enums import Industry, Region
from arms.customers.models import Customer
from arms.domain.earlywarning import METRICS, Unit
from arms.domain.money import MoneyError, parse_amount
from arms.earlywarning.enums import Metric, ScopeKind, Severity, SignalCategory
from arms.earlywarning.services import IndicatorFields
from arms.web.forms import DATE_INPUT, ServiceErrorMixin

ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


def threshold_from_text(metric: str, text: str) -> int:
    """The threshold a person typed, as the integer of the metric's unit; ``ValueError`` with the reason."""
    unit = METRICS[metric].unit
    cleaned = (text or "").strip().replace(",", "").rstrip("%").strip()
    if unit == Unit.MONEY:
        try:
            return parse_amount(cleaned)
        except MoneyError as exc:
            raise ValueError(money_message(exc)) from exc
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(str(_("Type a number."))) from None
    if not number.is_finite():
        raise ValueError(str(_("Type a number.")))
    if unit == Unit.BP:
        number *= 100
        if number != number.to_integral_value():
            raise ValueError(str(_("At most two decimal places of a percent.")))
    elif number != number.to_integral_value():
        raise ValueError(str(_("Type a whole number.")))
    return int(number)


def threshold_as_text(metric: str, value: int) -> str:
    unit = METRICS[metric].unit
    if unit == Unit.BP:
        return str((Decimal(value) / 100).normalize())
    if unit == Unit.MONEY:
        return str((Decimal(value) / 100).quantize(Decimal("0.01")))
    return str(value)


def _customer_id(code: str) -> int | None:
    found = Customer.objects.filter(code=code.strip()).values_list("pk", flat=True).first() if code.strip() else None
    return int(found) if found is not None else None


class IndicatorForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"scope_user_id": "scope_user", "scope_customer_id": "scope_customer",
                      "notify_user_ids": "notify_users"}

    name = forms.CharField(label=_("Name"), max_length=120)
    metric = forms.ChoiceField(label=_("Metric"), choices=Metric.choices)
    threshold = forms.CharField(
        label=_("Threshold"), max_length=30,
        help_text=_("Days or a count as a whole number; a ratio or share in percent (12.5); an amount in yuan."))
    window = forms.IntegerField(label=_("Window"), required=False, min_value=1, max_value=730,
                                help_text=_("Days or months the metric looks back; leave empty for the default."))
    scope = forms.ChoiceField(label=_("Scope"), choices=ScopeKind.choices, initial=ScopeKind.COMPANY)
    scope_user = forms.ChoiceField(label=_("Collector or salesperson"), required=False, choices=())
    scope_customer = forms.CharField(label=_("Customer code"), max_length=40, required=False,
                                     help_text=_("For a one-customer scope."))
    scope_value = forms.ChoiceField(label=_("Customer group"), required=False, choices=[
        ("", "—"), (_("Credit grade"), Grade.choices), (_("Region"), Region.choices),
        (_("Industry"), Industry.choices)])
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.WARNING)
    responsible_role = forms.ChoiceField(label=_("Responsible role"), choices=ROLE_CHOICES,
                                         initial=Role.CREDIT_MANAGER.value)
    notify_roles = forms.MultipleChoiceField(label=_("Roles told"), choices=ROLE_CHOICES, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    notify_users = forms.MultipleChoiceField(label=_("People told"), choices=(), required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 5}))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [(str(u.pk), person_name(u)) for u in
                  get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "pk")[:300]]
        self.fields["scope_user"].choices = [("", "—"), *people]
        self.fields["notify_users"].choices = people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        metric, text = data.get("metric"), data.get("threshold")
        if metric and text is not None:
            try:
                data["threshold"] = threshold_from_text(metric, text)
            except ValueError as exc:
                self.add_error("threshold", str(exc))
        return data

    def fields_input(self, data: dict[str, Any]) -> IndicatorFields:
        return IndicatorFields(
            name=data["name"], metric=data["metric"], scope=data["scope"],
            scope_user_id=int(data["scope_user"]) if data.get("scope_user") else None,
            scope_customer_id=_customer_id(data.get("scope_customer") or ""), scope_value=data.get("scope_value") or "",
            threshold=data["threshold"], window=data.get("window"), severity=data["severity"],
            notify_roles=tuple(data.get("notify_roles") or ()),
            notify_user_ids=tuple(int(pk) for pk in data.get("notify_users") or ()),
            responsible_role=data["responsible_role"], active=bool(data.get("active")))

    @staticmethod
    def initial_of(indicator: Any) -> dict[str, Any]:
        return {
            "name": indicator.name, "metric": indicator.metric,
            "threshold": threshold_as_text(indicator.metric, indicator.threshold), "window": indicator.window,
            "scope": indicator.scope, "scope_user": str(indicator.scope_user_id or ""),
            "scope_customer": indicator.scope_customer.code if indicator.scope_customer_id else "",
            "scope_value": indicator.scope_value,
            "severity": indicator.severity, "responsible_role": indicator.responsible_role,
            "notify_roles": list(indicator.notify_roles),
            "notify_users": [str(pk) for pk in indicator.notify_users.values_list("pk", flat=True)],
            "active": indicator.active,
        }


class AcknowledgeForm(ServiceErrorMixin, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What is being done about it."))


class SignalAcknowledgeForm(AcknowledgeForm):
    rerate = forms.BooleanField(label=_("Rate the customer again now"), required=False,
                                help_text=_("Starts a credit rating with these new facts; its proposal waits for a "
                                            "decision on the credit file."))


class SignalForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"customer_id": "customer"}

    customer = forms.TypedChoiceField(label=_("Customer"), coerce=int, choices=())
    category = forms.ChoiceField(label=_("What was noticed"), choices=SignalCategory.choices)
    description = forms.CharField(label=_("Description"), max_length=MAX_NOTE,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    observed_on = forms.DateField(label=_("Noticed on"), widget=DATE_INPUT)
    observed_time = forms.TimeField(label=_("At"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    evidence = forms.FileField(label=_("Evidence (photo, notice, message)"), required=False)

    def __init__(self, *args: Any, customers: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["customer"].choices = [("", "—"), *customers]


__all__ = ["AcknowledgeForm", "IndicatorForm", "SignalAcknowledgeForm", "SignalForm", "threshold_from_text"]
