"""Forms of the credit pages: shape only (amounts in yuan with at most two decimals, percentages 0-100).
The services decide the rules; their refusals are shown beside the field they name (``add_service_error``)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.common.errors import money_message
from arms.contracts.models import GuaranteeType
from arms.credit.enums import BureauRating, Grade
from arms.credit.models import GuaranteeStatus
from arms.domain.money import MoneyError, check_currency, format_amount, parse_amount
from arms.web.forms import AmountField, ServiceErrorMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TRI_STATE = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]


def _tri(value: str):
    return {"yes": True, "no": False}.get(value)


class CreditFileForm(ServiceErrorMixin, forms.Form):
    established_on = forms.DateField(label=_("Established on"), required=False, widget=DATE_INPUT)
    registered_capital = AmountField(label=_("Registered capital (CNY)"), required=False)
    legal_representative = forms.CharField(label=_("Legal representative"), required=False, max_length=100)
    bureau_rating = forms.ChoiceField(label=_("Bureau rating"), required=False,
                                      choices=[("", _("Unknown")), *BureauRating.choices])
    bureau_name = forms.CharField(label=_("Bureau"), required=False, max_length=100)
    lawsuits_count = forms.IntegerField(label=_("Lawsuits"), required=False, min_value=0, max_value=32767)
    dishonest_debtor = forms.ChoiceField(label=_("Dishonest judgment debtor (失信被执行人)"), required=False,
                                         choices=TRI_STATE)
    business_abnormal = forms.ChoiceField(label=_("Business abnormal (经营异常)"), required=False, choices=TRI_STATE)
    guarantees_note = forms.CharField(label=_("Guarantees"), required=False, max_length=300)
    external_checked_on = forms.DateField(label=_("External facts checked on"), required=False, widget=DATE_INPUT)
    overdue_block_days = forms.IntegerField(label=_("Block when overdue (days)"), min_value=0, max_value=3650)
    overdue_block_min = AmountField(label=_("Ignore overdue items below"), currency="CNY")

    SERVICE_FIELDS = {"registered_capital_minor": "registered_capital", "overdue_block_min_minor": "overdue_block_min"}

    @classmethod
    def initial_for(cls, profile) -> dict:
        def tri(value):
            return "" if value is None else ("yes" if value else "no")

        return {
            "established_on": profile.established_on,
            "registered_capital": format_amount(profile.registered_capital_minor, "CNY")
            if profile.registered_capital_minor is not None else "",
            "legal_representative": profile.legal_representative, "bureau_rating": profile.bureau_rating,
            "bureau_name": profile.bureau_name, "lawsuits_count": profile.lawsuits_count,
            "dishonest_debtor": tri(profile.dishonest_debtor), "business_abnormal": tri(profile.business_abnormal),
            "guarantees_note": profile.guarantees_note, "external_checked_on": profile.external_checked_on,
            "overdue_block_days": profile.overdue_block_days,
            "overdue_block_min": format_amount(profile.overdue_block_min_minor, "CNY"),
        }

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        return {
            "established_on": d["established_on"], "registered_capital_minor": d["registered_capital"],
            "legal_representative": d["legal_representative"], "bureau_rating": d["bureau_rating"],
            "bureau_name": d["bureau_name"], "lawsuits_count": d["lawsuits_count"],
            "dishonest_debtor": _tri(d["dishonest_debtor"]), "business_abnormal": _tri(d["business_abnormal"]),
            "guarantees_note": d["guarantees_note"],
            "external_checked_on": d["external_checked_on"], "overdue_block_days": d["overdue_block_days"],
            "overdue_block_min_minor": d["overdue_block_min"] or 0,
        }


class FinancialsForm(ServiceErrorMixin, forms.Form):
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=1900, max_value=2999)
    total_assets = AmountField(label=_("Total assets"), required=False)
    total_liabilities = AmountField(label=_("Total liabilities"), required=False)
    current_assets = AmountField(label=_("Current assets"), required=False)
    current_liabilities = AmountField(label=_("Current liabilities"), required=False)
    revenue = AmountField(label=_("Revenue"), required=False)
    net_profit = AmountField(label=_("Net profit"), required=False)
    operating_cash_flow = AmountField(label=_("Operating cash flow"), required=False)
    audited = forms.BooleanField(label=_("Audited"), required=False)
    source = forms.CharField(label=_("Source"), required=False, max_length=100)

    FIGURES = ("total_assets", "total_liabilities", "current_assets", "current_liabilities", "revenue", "net_profit",
               "operating_cash_flow")
    SERVICE_FIELDS = {f"{name}_minor": name for name in FIGURES}

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        return {"fiscal_year": d["fiscal_year"], "audited": d["audited"], "source": d["source"],
                **{f"{name}_minor": d[name] for name in self.FIGURES}}


class RateForm(ServiceErrorMixin, forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class ProposalAcceptForm(ServiceErrorMixin, forms.Form):
    limit = AmountField(label=_("Credit limit"), required=False)
    payment_terms_days = forms.IntegerField(label=_("Payment terms (days)"), required=False, min_value=0,
                                            max_value=3650)
    deposit_pct = forms.DecimalField(label=_("Deposit %"), required=False, min_value=0, max_value=100,
                                     decimal_places=2)
    reason = forms.CharField(label=_("Reason (needed when you change the proposal)"), required=False, max_length=500)

    SERVICE_FIELDS = {"limit_minor": "limit"}

    def __init__(self, *args, currency: str = "CNY", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["limit"].currency = currency

    @classmethod
    def initial_for(cls, proposal) -> dict:
        return {"limit": format_amount(proposal.limit_minor, proposal.currency),
                "payment_terms_days": proposal.payment_terms_days, "deposit_pct": proposal.deposit_pct}

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        deposit = d["deposit_pct"]
        return {"limit_minor": d["limit"], "payment_terms_days": d["payment_terms_days"],
                "deposit_pct": Decimal(deposit) if deposit is not None else None, "reason": d["reason"]}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class LimitRequestForm(ServiceErrorMixin, forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    requested_limit = AmountField(label=_("New credit limit"))
    justification = forms.CharField(label=_("Justification"), max_length=5000,
                                    widget=forms.Textarea(attrs={"rows": 3}))

    SERVICE_FIELDS = {"requested_limit_minor": "requested_limit"}

    def __init__(self, *args, currency: str = "CNY", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_limit"].currency = currency
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class ProfileFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code or name")}))
    grade = forms.ChoiceField(label=_("Grade"), required=False,
                              choices=[("", _("All")), *Grade.choices, ("none", _("Not rated"))])


class GuaranteeForm(ServiceErrorMixin, forms.Form):
    """A guarantee to register on the credit file; the amount in its currency."""

    SERVICE_FIELDS = {"amount_minor": "amount", "document_bytes": "document"}

    guarantor = forms.CharField(label=_("Guarantor"), max_length=200)
    kind = forms.ChoiceField(label=_("Guarantee type"),
                             choices=[c for c in GuaranteeType.choices if c[0] != GuaranteeType.NONE])
    amount = forms.CharField(label=_("Amount"), max_length=30)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_INPUT)
    expiry_date = forms.DateField(label=_("Expires on"), widget=DATE_INPUT)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.FileField(label=_("Document (scan)"), required=False)

    def clean_currency(self) -> str:
        try:
            return check_currency(self.cleaned_data["currency"])
        except MoneyError as exc:
            raise forms.ValidationError(money_message(exc)) from exc

    def clean(self) -> dict:
        data = super().clean() or {}
        if "amount" in data and "currency" in data:
            try:
                data["amount_minor"] = parse_amount(data["amount"], data["currency"])
            except MoneyError as exc:
                self.add_error("amount", money_message(exc))
        return data


class GuaranteeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Guarantor, reference or customer")}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *GuaranteeStatus.choices])
