"""Forms of the small-balance pages; a service's refusal is shown beside its field (``ServiceErrorMixin``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.ledger.models.small_balance import SmallBalanceAccount
from arms.web.forms import AmountField, ServiceErrorMixin


class IdsField(forms.Field):
    """Invoice ids ticked in the list (check boxes named ``invoice``); whether each is a residue is the service's
    decision, which names the invoice when it is not."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return [int(v) for v in (value or [])]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Choose small balances from the list.")) from None


class BatchRequestForm(ServiceErrorMixin, forms.Form):
    """The residues ticked on the page (``invoice``), or every residue (``everything``)."""

    SERVICE_FIELDS = {"invoices": "invoice"}

    invoice = IdsField(label=_("Small balances"), required=False)
    everything = forms.BooleanField(label=_("Every small balance, on every page"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def invoice_ids(self) -> list[int] | None:
        return None if self.cleaned_data.get("everything") else self.cleaned_data.get("invoice", [])


class DecisionForm(ServiceErrorMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ThresholdForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"threshold_minor": "threshold"}

    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    threshold = AmountField(label=_("Threshold"), currency=None)

    def clean(self):
        data = super().clean()
        if data.get("currency") and data.get("threshold") not in (None, "") and "threshold" not in self.errors:
            try:
                data["threshold"] = self.fields["threshold"].to_minor(data["threshold"], data["currency"].upper())
            except forms.ValidationError as error:
                self.add_error("threshold", error)
        return data


class AccountForm(ServiceErrorMixin, forms.Form):
    account = forms.ChoiceField(label=_("Write-off account"), choices=SmallBalanceAccount.choices)
