"""The portal's forms: what a contact may hand in. Shapes only; the services decide (``ServiceErrorMixin``).

Every choice of an invoice is made from the access's own customer's invoices (the view passes them), so an id of
another customer's invoice is simply not a valid choice.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.cases.enums import DisputeReason
from arms.common.bounds import MAX_NOTE
from arms.confirmations.enums import DifferenceKind
from arms.domain.money import format_amount
from arms.web.forms import DATE_INPUT, AmountField, DateRangeMixin, ServiceErrorMixin


def _invoice_choices(invoices) -> list[tuple[str, str]]:
    return [(str(inv.pk), f"{inv.number} · {inv.currency} {format_amount(inv.amount_open_minor, inv.currency)}")
            for inv in invoices]


class StatementPeriodForm(DateRangeMixin):
    """The statement's period; both dates are needed."""

    date_from = forms.DateField(label=_("From"), widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), widget=DATE_INPUT)


class PortalDisputeForm(ServiceErrorMixin, forms.Form):
    invoice = forms.ChoiceField(label=_("Invoice"))
    amount = AmountField(label=_("Disputed amount"), currency=None)
    reason_code = forms.ChoiceField(label=_("Reason"), choices=DisputeReason.choices)
    description = forms.CharField(label=_("What is wrong"), required=False, max_length=MAX_NOTE,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    SERVICE_FIELDS = {"amount_minor": "amount", "invoice_id": "invoice"}

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.invoices = {str(inv.pk): inv for inv in invoices}
        self.fields["invoice"].choices = _invoice_choices(invoices)

    def clean(self):
        data = super().clean()
        invoice = self.invoices.get(data.get("invoice") or "")
        if invoice is not None and data.get("amount"):
            try:
                data["amount_minor"] = self.fields["amount"].to_minor(data["amount"], invoice.currency)
            except forms.ValidationError as error:
                self.add_error("amount", error)
        data["invoice_obj"] = invoice
        return data


class PortalPromiseForm(ServiceErrorMixin, forms.Form):
    amount = AmountField(label=_("Amount"), currency=None)
    promised_on = forms.DateField(label=_("We will pay by"), widget=DATE_INPUT)
    invoices = forms.MultipleChoiceField(label=_("For the invoices"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    SERVICE_FIELDS = {"amount_minor": "amount"}

    def __init__(self, *args, invoices=(), currency: str = "CNY", **kwargs):
        super().__init__(*args, **kwargs)
        self.invoices = {str(inv.pk): inv for inv in invoices}
        self.currency = currency
        self.fields["invoices"].choices = _invoice_choices(invoices)

    def clean(self):
        data = super().clean()
        chosen = [self.invoices[pk] for pk in data.get("invoices") or () if pk in self.invoices]
        data["invoice_objs"] = chosen
        currency = chosen[0].currency if chosen else self.currency
        data["currency"] = currency
        if data.get("amount"):
            try:
                data["amount_minor"] = self.fields["amount"].to_minor(data["amount"], currency)
            except forms.ValidationError as error:
                self.add_error("amount", error)
        return data


class RemittanceForm(ServiceErrorMixin, forms.Form):
    file = forms.FileField(label=_("Remittance advice"),
                           help_text=_("A PDF, a photo or a scan, or your payment list (Excel, CSV)."))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PortalReplyForm(ServiceErrorMixin, forms.Form):
    """The reply slip of a balance confirmation: the balance is right, or it differs (the rows below say how)."""

    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect, choices=[
        ("confirmed", _("The information is correct (信息无误)")),
        ("disputed", _("The information differs, as below (信息不符，差异如下)"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PortalDifferenceForm(forms.Form):
    """One difference: an invoice (or none: an item missing from either side's books), what differs, how much."""

    invoice = forms.ChoiceField(label=_("Invoice"), required=False)
    kind = forms.ChoiceField(label=_("Difference"), choices=DifferenceKind.choices)
    amount = AmountField(label=_("Amount"), currency=None, required=False)
    description = forms.CharField(label=_("Explanation"), required=False, max_length=MAX_NOTE)

    def __init__(self, *args, invoices=(), currency: str = "CNY", **kwargs):
        super().__init__(*args, **kwargs)
        self.invoices = {str(inv.pk): inv for inv in invoices}
        self.currency = currency
        self.fields["invoice"].choices = [("", _("No invoice (an item missing from the books)"))] + [
            (str(inv.pk), inv.number) for inv in invoices]

    def difference(self) -> dict | None:
        """The row as ``confirmation_reply`` takes it, or None for an empty row."""
        data = self.cleaned_data
        if not data.get("amount") and not data.get("description") and not data.get("invoice"):
            return None
        invoice = self.invoices.get(data.get("invoice") or "")
        amount_minor = 0
        if data.get("amount"):
            try:
                amount_minor = self.fields["amount"].to_minor(data["amount"],
                                                              invoice.currency if invoice else self.currency)
            except forms.ValidationError as error:
                self.add_error("amount", error)
                return None
        return {"invoice_id": invoice.pk if invoice else None, "kind": data["kind"], "amount_minor": amount_minor,
                "description": data.get("description") or ""}


PortalDifferenceFormSet = forms.formset_factory(PortalDifferenceForm, extra=5, max_num=20, validate_max=True)


class PortalPasswordForm(ServiceErrorMixin, forms.Form):
    password = forms.CharField(label=_("New password"), max_length=128, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(label=_("The same again"), max_length=128, strip=False,
                                     widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class PortalLoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), max_length=128, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
