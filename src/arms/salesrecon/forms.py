"""Forms of the sales–finance reconciliation pages; a service's refusal is shown beside its field."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE
from arms.salesrecon.enums import ReconStatus
from arms.web.forms import AmountField, ServiceErrorMixin

MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
DIFFERENCE_ROWS = 5


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month input), cleaned to its first day."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MONTH_INPUT)
        super().__init__(**kwargs)


class OpenMonthForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"period": "month", "salesperson_id": "salesperson"}

    month = MonthField(label=_("Month"))
    salesperson = forms.ModelChoiceField(
        label=_("Salesperson"), required=False, empty_label=_("Every salesperson"),
        queryset=get_user_model().objects.filter(is_active=True, sales_customers__isnull=False).distinct()
        .order_by("username"))


class FilterForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *ReconStatus.choices]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"period": data.get("month"), "status": data.get("status", "")}


class AnswerForm(ServiceErrorMixin, forms.Form):
    """Agree, or list up to ``DIFFERENCE_ROWS`` balances seen differently (customer, amount, note per row)."""

    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, customers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((str(c["customer_id"]), f'{c["code"]} {c["name"]}') for c in customers)]
        for i in range(DIFFERENCE_ROWS):
            self.fields[f"customer_{i}"] = forms.TypedChoiceField(label=_("Customer"), required=False, coerce=int,
                                                                  empty_value=None, choices=choices)
            self.fields[f"amount_{i}"] = AmountField(label=_("Balance you see"), required=False)
            self.fields[f"note_{i}"] = forms.CharField(label=_("Why"), required=False, max_length=MAX_NOTE)
        # the service names a row's input differences[<row>].<argument>: shown beside that row's field
        self.SERVICE_FIELDS = {f"differences[{i}].{arg}": f"{field}_{i}" for i in range(DIFFERENCE_ROWS)
                               for arg, field in (("customer_id", "customer"), ("sales_minor", "amount"),
                                                  ("currency", "customer"), ("note", "note"))}

    def rows(self) -> list[tuple]:
        return [(self[f"customer_{i}"], self[f"amount_{i}"], self[f"note_{i}"]) for i in range(DIFFERENCE_ROWS)]

    def differences(self) -> list[dict]:
        out = []
        for i in range(DIFFERENCE_ROWS):
            customer, amount = self.cleaned_data.get(f"customer_{i}"), self.cleaned_data.get(f"amount_{i}")
            if customer is None and amount is None:
                continue
            if customer is None or amount is None:
                self.add_error(f"customer_{i}" if customer is None else f"amount_{i}",
                               _("Name the customer and the balance you see."))
                continue
            out.append({"customer_id": customer, "sales_minor": amount,
                        "note": self.cleaned_data.get(f"note_{i}", "")})
        return out


class SignOffForm(ServiceErrorMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"owner_id": "owner"}

    owner = forms.ModelChoiceField(label=_("Owner"),
                                   queryset=get_user_model().objects.filter(is_active=True).order_by("username"))


class ResolveForm(ServiceErrorMixin, forms.Form):
    resolution = forms.CharField(label=_("Resolution"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2}))
