"""Forms of the provisioning pages: preview or post a run, a new matrix version, an individual assessment.
Each submits to one service through ``run_service``."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE
from arms.customers.enums import Industry
from arms.customers.models import Customer
from arms.web.forms import AmountField, ServiceErrorMixin

#: band rows the matrix form offers (empty rows at the end are ignored)
BAND_ROWS = 8


class RunForm(ServiceErrorMixin, forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("Preview any day; a run is posted for a month end."))


def _percent_text(bp: int) -> str:
    """Basis points as the percent a user types: 200 -> "2", 1000 -> "10", 1250 -> "12.5"."""
    text = f"{Decimal(bp) / 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class PercentField(forms.DecimalField):
    """A rate typed as a percent with up to two decimals (12.5 = 12.50%), cleaned to basis points."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, **kwargs)

    def clean(self, value):
        number = super().clean(value)
        return None if number is None else int(Decimal(number) * 100)


class MatrixForm(ServiceErrorMixin, forms.Form):
    """A new version: a name, a note, and up to ``BAND_ROWS`` rows ``b<n>_label``, ``b<n>_low``, ``b<n>_high``,
    ``b<n>_rate`` (percent); the service's ``bands[2].rate_bp`` is shown beside row 2's rate."""

    SERVICE_FIELDS = {f"bands[{row}].{argument}": f"b{row}_{name}" for row in range(BAND_ROWS)
                      for argument, name in (("label", "label"), ("low", "low"), ("high", "high"),
                                             ("rate_bp", "rate"))}
    SERVICE_FIELDS |= {f"group_rates.{industry}": f"g_{industry}" for industry in Industry.values}

    name = forms.CharField(label=_("Name"), max_length=100)
    note = forms.CharField(label=_("What changed and why"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(BAND_ROWS):
            self.fields[f"b{row}_label"] = forms.CharField(label=_("Band label"), max_length=40, required=False)
            self.fields[f"b{row}_low"] = forms.IntegerField(label=_("From day"), min_value=0, required=False)
            self.fields[f"b{row}_high"] = forms.IntegerField(label=_("To day"), min_value=0, required=False,
                                                             help_text=_("Empty for the last, open-ended band."))
            self.fields[f"b{row}_rate"] = PercentField(label=_("Rate (%)"), required=False)
        for industry, label in Industry.choices:
            self.fields[f"g_{industry}"] = forms.CharField(
                label=label, max_length=100, required=False,
                help_text=_("One rate (%) per band, in the bands' order, separated by commas; empty takes the "
                            "rates above."))

    def group_rows(self):
        """The per-industry rate fields, for the template."""
        return [self[f"g_{industry}"] for industry in Industry.values]

    def clean(self):
        data = super().clean()
        for industry in Industry.values:
            text = (data.get(f"g_{industry}") or "").replace("，", ",").strip()
            if not text:
                data[f"g_{industry}"] = None
                continue
            rates = []
            for part in text.split(","):
                try:
                    rate = Decimal(part.strip())
                except ArithmeticError:
                    self.add_error(f"g_{industry}", _("Write percentages such as 1, 5, 30, 100."))
                    break
                if not rate.is_finite() or rate < 0 or rate > 100 or rate != rate.quantize(Decimal("0.01")):
                    self.add_error(f"g_{industry}", _("A rate is a percentage from 0 to 100 with at most two "
                                                      "decimals."))
                    break
                rates.append(int(rate * 100))
            else:
                data[f"g_{industry}"] = rates
        return data

    def group_rates(self) -> dict[str, list[int]]:
        return {industry: rates for industry in Industry.values
                if (rates := self.cleaned_data.get(f"g_{industry}"))}

    def rows(self):
        """The band rows as bound fields, for the template."""
        return [[self[f"b{row}_{name}"] for name in ("label", "low", "high", "rate")] for row in range(BAND_ROWS)]

    def bands(self) -> list[dict]:
        data = self.cleaned_data
        result = []
        for row in range(BAND_ROWS):
            label, low, high, rate = (data.get(f"b{row}_{name}") for name in ("label", "low", "high", "rate"))
            if not label and low is None and high is None and rate is None:
                continue
            result.append({"label": label or "", "low": low, "high": high, "rate_bp": rate})
        return result

    @classmethod
    def initial_from(cls, matrix) -> dict:
        return cls.initial_for(matrix.name, matrix.bands, matrix.group_rates or {})

    @classmethod
    def initial_for(cls, name: str, bands, group_rates) -> dict:
        initial: dict = {"name": name}
        for row, band in enumerate(bands[:BAND_ROWS]):
            initial |= {f"b{row}_label": band["label"], f"b{row}_low": band["low"], f"b{row}_high": band["high"],
                        f"b{row}_rate": Decimal(band["rate_bp"]) / 100}
        for industry, rates in group_rates.items():
            initial[f"g_{industry}"] = ", ".join(_percent_text(bp) for bp in rates)
        return initial


class AssessmentForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"rate_bp": "rate", "amount_minor": "amount", "evidence": "evidence"}

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    rate = PercentField(label=_("Rate (%)"), required=False,
                        help_text=_("The share of the customer's open receivable to provide for."))
    amount = AmountField(label=_("Or an amount (CNY)"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2}))
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(label=_("Evidence (judgment, bankruptcy notice ...)"), required=False)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(company=company).order_by("code")


class AssessmentEndForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"ended_on": "ended_on"}

    ended_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
