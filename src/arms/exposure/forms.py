"""Forms of the exposure pages. They check the shape of the input (an amount is an amount, a customer code names
a customer the user may see); the services decide the rest and their refusals are shown beside the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.common.errors import money_message
from arms.customers.selectors import customers_visible_to
from arms.domain.money import MoneyError, parse_amount
from arms.exposure.models import DocumentKind, HoldReason, OverrideStatus, UnratedPolicy
from arms.web.forms import AmountForm, ServiceErrorMixin


def _choices_with_all(choices) -> list:
    return [("", _("All")), *choices]


class CustomerCodeMixin(forms.Form):
    customer = forms.CharField(label=_("Customer code"), max_length=40,
                               widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_customer(self):
        code = self.cleaned_data["customer"].strip()
        customer = customers_visible_to(self.user).filter(code=code).first()
        if customer is None:
            raise forms.ValidationError(_("No customer with the code %(code)s.") % {"code": code})
        return customer


class HoldFilterForm(forms.Form):
    q = forms.CharField(label=_("Customer"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("Code or name")}))
    state = forms.ChoiceField(label=_("Show"), required=False,
                              choices=[("active", _("Active holds")), ("released", _("Released")), ("all", _("All"))])
    reason_code = forms.ChoiceField(label=_("Reason"), required=False, choices=_choices_with_all(HoldReason.choices))


class HoldPlaceForm(ServiceErrorMixin, CustomerCodeMixin):
    reason_code = forms.ChoiceField(label=_("Reason"), choices=HoldReason.choices, initial=HoldReason.MANUAL)
    note = forms.CharField(label=_("Why"), max_length=2000)


class ReleaseForm(forms.Form):
    note = forms.CharField(label=_("Why release"), max_length=2000)


class OverrideFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=_choices_with_all(OverrideStatus.choices))


class OverrideRequestForm(ServiceErrorMixin, AmountForm, CustomerCodeMixin):
    SERVICE_FIELDS = {"amount_minor": "amount"}

    document_kind = forms.ChoiceField(label=_("Document kind"), choices=DocumentKind.choices, required=False)
    document_ref = forms.CharField(label=_("Document number"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    valid_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, initial=7)
    terms_days = forms.IntegerField(
        label=_("Terms exception: payment terms up to (days)"), min_value=1, max_value=3650, required=False,
        help_text=_("Only for a document whose payment terms are longer than the grade allows."))


class DecisionForm(ServiceErrorMixin, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)
    valid_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, required=False)


class CheckForm(ServiceErrorMixin, AmountForm, CustomerCodeMixin):
    document_kind = forms.ChoiceField(
        label=_("Document kind"), initial=DocumentKind.ORDER,
        choices=[(k, v) for k, v in DocumentKind.choices if k])


class CreditSettingsForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"unrated_limit_minor": "unrated_limit"}

    unrated_policy = forms.ChoiceField(label=_("Unrated customers"), choices=UnratedPolicy.choices)
    unrated_limit = forms.CharField(label=_("Default limit until rated (CNY)"), max_length=30)
    guarantee_warn_days = forms.IntegerField(label=_("Warn of a guarantee's expiry (days ahead)"), min_value=1,
                                             max_value=365)

    def clean_unrated_limit(self) -> int:
        try:
            value = parse_amount(self.cleaned_data["unrated_limit"], "CNY")
        except MoneyError as exc:
            raise forms.ValidationError(money_message(exc)) from exc
        if value < 0:
            raise forms.ValidationError(_("The default limit cannot be negative."))
        return value
