"""Forms of the legal pages; a service's refusal is shown beside its field (``ServiceErrorMixin``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.legal.enums import AssetKind, CaseKind, CaseStatus, CostKind, EnforcementStatus, IssuerMode
from arms.web.forms import AmountField, ServiceErrorMixin

DATE = forms.DateInput(attrs={"type": "date"})


class ReviewForm(ServiceErrorMixin, forms.Form):
    note = forms.CharField(label=_("Comment"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class SettingsForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"settlement_legal_limit_minor": "settlement_legal_limit"}

    issuer_mode = forms.ChoiceField(label=_("Lawyer's letters issued by"), choices=IssuerMode.choices)
    firm_name = forms.CharField(label=_("Law firm"), required=False, max_length=200)
    lawyer_name = forms.CharField(label=_("Lawyer"), required=False, max_length=100)
    licence_number = forms.CharField(label=_("Licence number (执业证号)"), required=False, max_length=40)
    firm_address = forms.CharField(label=_("Address"), required=False, max_length=300)
    firm_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    asset_refresh_days = forms.IntegerField(label=_("Refresh asset facts after (days)"), min_value=1, max_value=3650)
    settlement_legal_limit = AmountField(label=_("Legal may approve settlements up to (CNY)"), min_minor=0)


class CustomerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.name}"


class CaseForm(ServiceErrorMixin, forms.Form):
    """A new case: its claims are the customer's open invoices (the API names them one by one)."""

    SERVICE_FIELDS = {"claim_minor": "customer", "invoice_ids": "customer"}

    customer = CustomerChoiceField(label=_("Customer"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    forum = forms.CharField(label=_("Court or commission"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers


class FileForm(ServiceErrorMixin, forms.Form):
    filed_on = forms.DateField(label=_("Date filed"), widget=DATE)
    case_number = forms.CharField(label=_("Case number"), required=False, max_length=100)


class StatusForm(ServiceErrorMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)


class HearingForm(ServiceErrorMixin, forms.Form):
    on = forms.DateField(label=_("Hearing date"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class CostForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"amount_minor": "amount"}

    kind = forms.ChoiceField(label=_("Cost"), choices=CostKind.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    amount = AmountField(label=_("Amount (CNY)"), min_minor=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CaseAmountsMixin:
    """Amounts of a case are in its currency."""

    def set_currency(self, currency: str) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, AmountField):
                field.currency = currency


class PreservationForm(CaseAmountsMixin, ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"amount_minor": "amount", "asset_ids": "assets"}

    applied_on = forms.DateField(label=_("Applied for on"), widget=DATE)
    ordered_on = forms.DateField(label=_("Ordered on"), required=False, widget=DATE)
    amount = AmountField(label=_("Amount preserved"), required=False, currency=None, min_minor=0)
    order_number = forms.CharField(label=_("Preservation order"), required=False, max_length=100)
    assets = forms.ModelMultipleChoiceField(label=_("Assets named"), queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, assets, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assets"].queryset = assets
        self.set_currency(currency)


class JudgmentForm(CaseAmountsMixin, ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"awarded_minor": "awarded", "awarded_costs_minor": "awarded_costs"}

    judgment_on = forms.DateField(label=_("Judgment on"), widget=DATE)
    awarded = AmountField(label=_("Amount awarded"), currency=None, min_minor=0)
    awarded_costs = AmountField(label=_("Interest and costs awarded"), required=False, currency=None, min_minor=0)
    document = forms.FileField(label=_("Judgment or award"), required=False)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_currency(currency)


class EnforcementForm(ServiceErrorMixin, forms.Form):
    applied_on = forms.DateField(label=_("Enforcement applied for on"), widget=DATE)
    enforcement_case_number = forms.CharField(label=_("Enforcement case number"), required=False, max_length=100)
    enforcement_status = forms.ChoiceField(label=_("Enforcement"), choices=EnforcementStatus.choices[1:])


class DocumentForm(ServiceErrorMixin, forms.Form):
    file = forms.FileField(label=_("Document"))


class MandateForm(ServiceErrorMixin, forms.Form):
    """A mandate: the claims handed over are the customer's open invoices."""

    SERVICE_FIELDS = {"invoice_ids": "customer", "fee_share_bp": "fee_share"}

    customer = CustomerChoiceField(label=_("Customer"), queryset=None)
    agency_name = forms.CharField(label=_("Agency"), max_length=200)
    contact = forms.CharField(label=_("Contact"), required=False, max_length=200)
    licence = forms.CharField(label=_("Licence"), required=False, max_length=100)
    handed_over_on = forms.DateField(label=_("Handed over on"), widget=DATE)
    fee_share = forms.IntegerField(label=_("Fee share (basis points, 1500 = 15%)"), min_value=0, max_value=10_000)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers


class SettlementForm(CaseAmountsMixin, ServiceErrorMixin, forms.Form):
    """A settlement of one of a case's claims (amounts in the case's currency)."""

    SERVICE_FIELDS = {"waived_interest_minor": "waived_interest", "waived_penalty_minor": "waived_penalty",
                      "waived_principal_minor": "waived_principal", "invoice_id": "invoice"}

    invoice = forms.ModelChoiceField(label=_("Invoice"), queryset=None)
    waived_interest = AmountField(label=_("Interest waived"), required=False, currency=None, min_minor=0)
    waived_penalty = AmountField(label=_("Penalty waived"), required=False, currency=None, min_minor=0)
    waived_principal = AmountField(label=_("Principal waived"), required=False, currency=None, min_minor=0)
    terms = forms.CharField(label=_("Terms"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, claims, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoice"].queryset = claims
        self.set_currency(currency)


class AssetForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"estimated_value_minor": "estimated_value"}

    customer = CustomerChoiceField(label=_("Customer"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=AssetKind.choices)
    description = forms.CharField(label=_("Description"), max_length=500)
    location = forms.CharField(label=_("Location or registry"), required=False, max_length=300)
    estimated_value = AmountField(label=_("Estimated value (CNY)"), required=False, min_minor=0)
    encumbrances = forms.CharField(label=_("Encumbrances"), required=False, max_length=500)
    source = forms.CharField(label=_("Source"), max_length=200, help_text=_("企查查, a court search, a site visit ..."))
    fact_date = forms.DateField(label=_("Date of the fact"), widget=DATE)
    attachment = forms.FileField(label=_("Screenshot or extract"), required=False)

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers
