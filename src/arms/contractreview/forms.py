"""Forms of the contract pages: the filters, a contract's terms (a draft, or an amendment with its reason), a
review decision, signing, a milestone's event, a scan, and the review settings."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_LONG_TEXT, MAX_NOTE
from arms.contractreview.enums import Clause
from arms.contracts.models import ContractStatus, DisputeResolution, GuaranteeType
from arms.contracts.services import MilestoneIn
from arms.web.forms import DATE_INPUT, AmountField, ServiceErrorMixin

#: the most lines the milestone and tier boxes take
MAX_LINES = 20


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("Number, title or customer")}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ContractStatus.choices])
    expiring = forms.BooleanField(label=_("Ending or due for review soon"), required=False)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {"q": (data.get("q") or "").strip(), "status": data.get("status", ""),
                "expiring": bool(data.get("expiring"))}


def _lines(text: str, field: str) -> list[list[str]]:
    rows = [line.split() for line in (text or "").splitlines() if line.strip()]
    if len(rows) > MAX_LINES:
        raise forms.ValidationError(_("At most %(n)s lines.") % {"n": MAX_LINES})
    return rows


class ContractForm(ServiceErrorMixin, forms.Form):
    """A contract's terms. Milestones one per line: name, share in percent, due days ("预付款 30 0"); late-interest
    tiers one per line: from day, daily rate ("1 0.0003")."""

    SERVICE_FIELDS = {"amount_minor": "amount", "late_interest_tiers": "tiers"}

    customer_code = forms.CharField(label=_("Customer code"), max_length=40)
    number = forms.CharField(label=_("Contract number"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    signed_date = forms.DateField(label=_("Signed on (planned)"), widget=DATE_INPUT)
    start_date = forms.DateField(label=_("Starts"), required=False, widget=DATE_INPUT)
    end_date = forms.DateField(label=_("Ends"), required=False, widget=DATE_INPUT)
    review_date = forms.DateField(label=_("Next review"), required=False, widget=DATE_INPUT)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    amount = AmountField(label=_("Amount"), currency=None)
    payment_terms_days = forms.IntegerField(label=_("Payment terms (days)"), min_value=0, max_value=3650)
    late_interest_rate_daily = forms.DecimalField(label=_("Late interest per day"), min_value=0, max_value=1,
                                                  max_digits=9, decimal_places=7, initial=0)
    tiers = forms.CharField(label=_("Tiered late interest"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3, "placeholder": "1 0.0003\n30 0.0005\n90 0.001"}),
                            help_text=_("One tier per line: from day late, daily rate. Empty: the single rate."))
    penalty_rate = forms.DecimalField(label=_("Penalty rate"), min_value=0, max_value=1, max_digits=7,
                                      decimal_places=4, initial=0)
    penalty_clause = forms.CharField(label=_("Penalty clause"), required=False, max_length=MAX_LONG_TEXT,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    guarantee_type = forms.ChoiceField(label=_("Guarantee"), choices=GuaranteeType.choices)
    guarantee_details = forms.CharField(label=_("Guarantee details"), required=False, max_length=MAX_LONG_TEXT,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    acceptance_clause = forms.CharField(label=_("Acceptance clause"), required=False, max_length=MAX_LONG_TEXT,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    dispute_resolution = forms.ChoiceField(label=_("Dispute resolution"), choices=DisputeResolution.choices)
    dispute_venue = forms.CharField(label=_("Venue"), required=False, max_length=200)
    governing_law = forms.CharField(label=_("Governing law"), required=False, max_length=100)
    discount_pct = forms.DecimalField(label=_("Early-payment discount %"), min_value=0, max_value=100,
                                      max_digits=5, decimal_places=2, initial=0)
    discount_days = forms.IntegerField(label=_("Discount days"), min_value=0, max_value=365, initial=0)
    deposit_pct = forms.DecimalField(label=_("Deposit %"), required=False, min_value=0, max_value=100, max_digits=5,
                                     decimal_places=2, help_text=_("Empty: the customer's credit policy."))
    milestones = forms.CharField(label=_("Milestones"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 4, "placeholder": "预付款 30 0\n验收款 70 30"}),
                                 help_text=_("One per line: name, share in percent, due days. Shares add up to 100."))
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=300)

    def __init__(self, *args: Any, amending: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.amending = amending
        if amending:
            del self.fields["customer_code"]
            del self.fields["number"]
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]

    def service_field(self, field: str) -> str | None:
        """A refusal naming one tier or milestone (``late_interest_tiers[1].from_day``) shows beside its box."""
        for prefix, name in (("late_interest_tiers", "tiers"), ("milestones", "milestones")):
            if field.startswith(prefix):
                return name
        return super().service_field(field)

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).strip().upper()

    def clean_tiers(self) -> list[dict[str, Any]]:
        tiers = []
        for index, parts in enumerate(_lines(self.cleaned_data.get("tiers", ""), "tiers"), start=1):
            try:
                if len(parts) != 2:
                    raise ValueError
                tiers.append({"from_day": int(parts[0]), "daily_rate": str(Decimal(parts[1]))})
            except (ValueError, InvalidOperation) as exc:
                raise forms.ValidationError(_("Line %(n)s: from day and daily rate, e.g. \"30 0.0005\".")
                                            % {"n": index}) from exc
        return tiers

    def clean_milestones(self) -> list[MilestoneIn]:
        milestones = []
        for index, parts in enumerate(_lines(self.cleaned_data.get("milestones", ""), "milestones"), start=1):
            try:
                if len(parts) not in (2, 3) or len(parts[0]) > 100:
                    raise ValueError
                share = Decimal(parts[1]) * 100
                if share != share.to_integral_value():
                    raise ValueError
                milestones.append(MilestoneIn(parts[0], int(share), int(parts[2]) if len(parts) == 3 else 0))
            except (ValueError, InvalidOperation) as exc:
                raise forms.ValidationError(_("Line %(n)s: name, share in percent, due days, e.g. \"预付款 30 0\".")
                                            % {"n": index}) from exc
            if not 0 <= milestones[-1].due_days <= 3650:
                raise forms.ValidationError(_("Line %(n)s: due days are 0 to 3650.") % {"n": index})
        return milestones

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = cleaned.get("amount")
        if text:
            try:
                cleaned["amount_minor"] = self.fields["amount"].to_minor(text, cleaned.get("currency") or "CNY")
            except forms.ValidationError as error:
                self.add_error("amount", error)
        return cleaned

    def terms(self) -> dict[str, Any]:
        """The service's keyword arguments (terms, milestones)."""
        data = self.cleaned_data
        names = ("title", "signed_date", "start_date", "end_date", "review_date", "currency", "amount_minor",
                 "payment_terms_days", "late_interest_rate_daily", "penalty_rate", "penalty_clause",
                 "guarantee_type", "guarantee_details", "acceptance_clause", "dispute_resolution", "dispute_venue",
                 "governing_law", "discount_pct", "discount_days", "deposit_pct")
        terms = {name: data[name] for name in names if name in data}
        terms["late_interest_tiers"] = data.get("tiers") or []
        terms["milestones"] = data.get("milestones") or []
        return terms


def contract_initial(contract: Any) -> dict[str, Any]:
    """A contract's terms as the form shows them."""
    from arms.domain.money import format_amount

    initial = {name: getattr(contract, name) for name in (
        "title", "signed_date", "start_date", "end_date", "review_date", "currency", "payment_terms_days",
        "late_interest_rate_daily", "penalty_rate", "penalty_clause", "guarantee_type", "guarantee_details",
        "acceptance_clause", "dispute_resolution", "dispute_venue", "governing_law", "discount_pct",
        "discount_days", "deposit_pct")}
    for name in ("late_interest_rate_daily", "penalty_rate", "discount_pct", "deposit_pct"):
        if isinstance(initial[name], Decimal):
            initial[name] = f"{initial[name].normalize():f}"
    initial["amount"] = format_amount(contract.amount_minor, contract.currency)
    initial["tiers"] = "\n".join(f"{t['from_day']} {t['daily_rate']}" for t in contract.late_interest_tiers or [])
    initial["milestones"] = "\n".join(
        f"{m.name} {(Decimal(m.share_bp) / 100).normalize():f} {m.due_days}" for m in contract.milestones.all())
    return initial


class DecisionForm(ServiceErrorMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[
        ("approved", _("Approve")), ("returned", _("Return for changes")), ("rejected", _("Reject"))])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=MAX_NOTE,
                              widget=forms.Textarea(attrs={"rows": 2}))
    confirmed = forms.MultipleChoiceField(label=_("Clauses checked"), required=False, choices=Clause.choices,
                                          widget=forms.CheckboxSelectMultiple)


class SignForm(ServiceErrorMixin, forms.Form):
    signed_date = forms.DateField(label=_("Signed on"), widget=DATE_INPUT)


class MilestoneEventForm(ServiceErrorMixin, forms.Form):
    sequence = forms.IntegerField(label=_("Milestone"), min_value=1, max_value=1000, widget=forms.HiddenInput)
    event_date = forms.DateField(label=_("Delivered/accepted on"), required=False, widget=DATE_INPUT)


class AttachmentForm(ServiceErrorMixin, forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=200)


class SettingsForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"legal_from_minor": "legal_from", "finance_from_minor": "finance_from",
                      "guarantee_from_minor": "guarantee_from"}

    legal_from = AmountField(label=_("Legal signs off from (CNY)"), min_minor=0)
    finance_from = AmountField(label=_("Finance signs off from (CNY)"), min_minor=0)
    guarantee_from = AmountField(label=_("A guarantee is required from (CNY)"), min_minor=0)
    reminder_days = forms.IntegerField(label=_("Remind days before the end"), min_value=0, max_value=365)
