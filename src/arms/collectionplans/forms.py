"""Forms of the collection-plan pages; a service's refusal is shown beside its field."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.collectionplans.enums import LineKind, PlanStatus
from arms.collectionplans.models import MAX_LINE_TEXT, CollectionPlan
from arms.collectionplans.services import LineIn
from arms.common.bounds import MAX_NOTE
from arms.domain.money import to_decimal
from arms.web.forms import DATE_INPUT, AmountField, ServiceErrorMixin

#: empty rows the lines form offers below the plan's lines
BLANK_ROWS = 3


def _owners():
    return get_user_model().objects.filter(is_active=True, collection_plans__isnull=False).distinct().order_by(
        "username")


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *PlanStatus.choices])
    owner = forms.ModelChoiceField(label=_("Owner"), required=False, queryset=get_user_model().objects.none(),
                                   empty_label=_("All"))
    q = forms.CharField(label=_("Customer or contract"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()
        self.fields["owner"].label_from_instance = _person

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        owner = data.get("owner")
        return {"status": data.get("status", ""), "owner_id": owner.pk if owner else None,
                "search": (data.get("q") or "").strip()}


def _person(user) -> str:
    from arms.accounts.names import person_name

    return person_name(user)


class FromContractForm(ServiceErrorMixin, forms.Form):
    contract = forms.CharField(label=_("Contract number"), max_length=60)
    SERVICE_FIELDS = {"contract_id": "contract", "owner_id": "contract"}


class FromCustomerForm(ServiceErrorMixin, forms.Form):
    code = forms.CharField(label=_("Customer code"), max_length=40)
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False,
                               help_text=_("Empty: the customer's currency."))
    SERVICE_FIELDS = {"customer_id": "code", "owner_id": "code"}


class LinesForm(ServiceErrorMixin, forms.Form):
    """The lines of a draft plan, one row each (date, amount, what for; a tick removes it), a few empty rows to add
    new ones, and the plan's note. The service checks the rows; its refusal lands beside the row's field."""

    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan: CollectionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.existing = list(plan.lines.order_by("expected_date", "pk"))
        self.rows: list[int] = []
        self.initial.setdefault("note", plan.note)
        for index in range(len(self.existing) + BLANK_ROWS):
            line = self.existing[index] if index < len(self.existing) else None
            self.fields[f"date_{index}"] = forms.DateField(label=_("Expected date"), required=False,
                                                           widget=DATE_INPUT)
            self.fields[f"amount_{index}"] = AmountField(label=_("Expected amount"), required=False,
                                                         currency=plan.currency)
            self.fields[f"description_{index}"] = forms.CharField(label=_("What it is for"), required=False,
                                                                  max_length=MAX_LINE_TEXT)
            if line is not None:
                self.fields[f"remove_{index}"] = forms.BooleanField(label=_("Remove"), required=False)
                self.initial.setdefault(f"date_{index}", line.expected_date)
                self.initial.setdefault(f"amount_{index}", str(to_decimal(line.amount_minor, plan.currency)))
                self.initial.setdefault(f"description_{index}", line.description)
            self.rows.append(index)

    def row_fields(self) -> list[dict]:
        return [{"line": self.existing[i] if i < len(self.existing) else None, "date": self[f"date_{i}"],
                 "amount": self[f"amount_{i}"], "description": self[f"description_{i}"],
                 "remove": self[f"remove_{i}"] if f"remove_{i}" in self.fields else None} for i in self.rows]

    def lines(self) -> list[LineIn]:
        """The rows kept, as the service takes them; ``self.row_of`` maps a line's position to its form row."""
        data = self.cleaned_data
        result: list[LineIn] = []
        self.row_of: dict[int, int] = {}
        for index in self.rows:
            line = self.existing[index] if index < len(self.existing) else None
            when, amount, text = data.get(f"date_{index}"), data.get(f"amount_{index}"), data.get(
                f"description_{index}") or ""
            if data.get(f"remove_{index}") or (line is None and when is None and amount is None and not text):
                continue
            if when is None:
                self.add_error(f"date_{index}", _("Give the expected date."))
                continue
            if amount is None:
                self.add_error(f"amount_{index}", _("Give the expected amount."))
                continue
            self.row_of[len(result)] = index
            result.append(LineIn(when, amount, text, line.kind if line else LineKind.OTHER,
                                 line.milestone_id if line else None, line.invoice_id if line else None))
        return result

    def service_field(self, field: str) -> str | None:
        if field.startswith("lines[") and "]." in field:
            position = int(field[len("lines["):field.index("]")])
            name = field.split("].", 1)[1]
            row = getattr(self, "row_of", {}).get(position)
            target = {"expected_date": "date", "amount_minor": "amount", "description": "description"}.get(name)
            if row is not None and target:
                return f"{target}_{row}"
        return super().service_field(field)


class DecisionForm(ServiceErrorMixin, forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=MAX_NOTE,
                              widget=forms.Textarea(attrs={"rows": 2}))


class EndForm(ServiceErrorMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=MAX_NOTE)


class VarianceForm(forms.Form):
    month = forms.CharField(label=_("Month"), required=False, max_length=7,
                            widget=forms.TextInput(attrs={"type": "month"}))
    owner = forms.ModelChoiceField(label=_("Owner"), required=False, queryset=get_user_model().objects.none(),
                                   empty_label=_("All"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()
        self.fields["owner"].label_from_instance = _person

    def clean_month(self) -> date:
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return timezone.localdate().replace(day=1)
        return parse_month(text)

    def values(self) -> tuple[date, int | None]:
        if not self.is_valid():
            return timezone.localdate().replace(day=1), None
        owner = self.cleaned_data.get("owner")
        return self.cleaned_data["month"], owner.pk if owner else None


def parse_month(text: str) -> date:
    """"2026-11" -> 2026-11-01; anything else is refused (a form error naming the month)."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1) if 1900 <= year <= 2999 else date(0, 0, 0)
    except ValueError as exc:
        raise forms.ValidationError(_("Give the month as YYYY-MM.")) from exc
