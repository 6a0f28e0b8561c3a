"""Forms of the hand-over pages: open one (role, from, to, the customers, reason, date), acknowledge or cancel it,
flag a key account. Shape only; the rules are the services'."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE
from arms.customers.models import Customer
from arms.handover.enums import HandoverRole, HandoverStatus
from arms.web.forms import DATE_INPUT, ServiceErrorMixin


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        from arms.accounts.names import person_name

        return f"{person_name(obj)} ({obj.get_username()})"


class HandoverForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"customer_ids": "customers"}

    role = forms.ChoiceField(label=_("Role"), choices=HandoverRole.choices)
    from_user = PersonChoiceField(label=_("Handed over by"), queryset=get_user_model().objects.none())
    to_user = PersonChoiceField(label=_("Successor"), queryset=get_user_model().objects.none())
    customers = forms.CharField(
        label=_("Customers"), required=False, max_length=MAX_NOTE,
        help_text=_("Customer codes separated by spaces or commas; empty: all of the person's customers in the role."),
        widget=forms.Textarea(attrs={"rows": 2}))
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=MAX_NOTE,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["from_user"].queryset = get_user_model().objects.order_by("username")
        self.fields["to_user"].queryset = users
        self.fields["effective_on"].initial = timezone.localdate()


    def clean_customers(self) -> list[int]:
        codes = [code for code in re.split(r"[\s,，;；]+", self.cleaned_data.get("customers") or "") if code]
        found = dict(Customer.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(_("No customer with the code %(codes)s.") % {"codes": ", ".join(unknown)})
        return [found[code] for code in codes]


class AcknowledgeForm(ServiceErrorMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}))


class HandoverFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *HandoverStatus.choices])
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All")), *HandoverRole.choices])
    search = forms.CharField(label=_("Search"), required=False, max_length=100)


class KeyAccountForm(ServiceErrorMixin, forms.Form):
    key_account = forms.BooleanField(label=_("Key account"), required=False)
