"""Forms of the write-off pages; a service's refusal is shown beside its field."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE
from arms.domain.money import to_decimal
from arms.web.forms import AmountField, ServiceErrorMixin
from arms.writeoffs.enums import EvidenceKind, RequestStatus, SignOffRole, WriteOffReason

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EVIDENCE_KINDS = [(k, label) for k, label in EvidenceKind.choices if k != EvidenceKind.COLLECTION_RECORD]


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *RequestStatus.choices])
    reason = forms.ChoiceField(label=_("Reason"), required=False, choices=[("", _("All")), *WriteOffReason.choices])
    not_filed = forms.BooleanField(label=_("Posted, not yet filed with the tax office"), required=False)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"status": data.get("status", ""), "reason": data.get("reason", ""),
                "not_filed": bool(data.get("not_filed"))}


class CustomerPickForm(forms.Form):
    code = forms.CharField(label=_("Customer code"), max_length=40)


class RequestForm(ServiceErrorMixin, forms.Form):
    """A request on some of the customer's open invoices (a tick and an amount per invoice) or its whole balance,
    with the reason, a note and one evidence file (more can be added on the request's page)."""

    reason = forms.ChoiceField(label=_("Reason"), choices=WriteOffReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 3}))
    whole_balance = forms.BooleanField(label=_("Write off the customer's whole open balance"), required=False)
    evidence_kind = forms.ChoiceField(label=_("Evidence"), required=False, choices=[("", "—"), *EVIDENCE_KINDS])
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)
    evidence_description = forms.CharField(label=_("What the evidence shows"), required=False, max_length=300)

    def __init__(self, *args, invoices=(), picked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.invoices = list(invoices)
        picked = {int(p) for p in picked}
        self.SERVICE_FIELDS = {"whole_balance": "whole_balance", "items": "whole_balance",
                               "evidence[0].kind": "evidence_kind", "evidence[0].name": "evidence_file",
                               "evidence[0].content": "evidence_file", "evidence[0].description":
                               "evidence_description"}
        for inv in self.invoices:
            self.fields[f"pick_{inv.pk}"] = forms.BooleanField(label=inv.number, required=False,
                                                               initial=inv.pk in picked)
            self.fields[f"amount_{inv.pk}"] = AmountField(label=_("Amount to write off"), required=False,
                                                          currency=inv.currency, min_minor=0)
            self.initial.setdefault(f"amount_{inv.pk}", _plain(inv.amount_open_minor, inv.currency))

    def rows(self) -> list[tuple]:
        return [(inv, self[f"pick_{inv.pk}"], self[f"amount_{inv.pk}"]) for inv in self.invoices]

    def clean(self):
        data = super().clean()
        if data.get("evidence_file") and not data.get("evidence_kind"):
            self.add_error("evidence_kind", _("Say what kind of document the file is."))
        return data

    def items(self) -> list[tuple[int, int | None]]:
        """(invoice id, amount) of every ticked invoice, in the order shown; maps each to its row's fields so a
        refusal of items[i] shows beside that row."""
        picked = [(inv.pk, self.cleaned_data.get(f"amount_{inv.pk}")) for inv in self.invoices
                  if self.cleaned_data.get(f"pick_{inv.pk}")]
        for index, (pk, _amount) in enumerate(picked):
            self.SERVICE_FIELDS[f"items[{index}].amount_minor"] = f"amount_{pk}"
            self.SERVICE_FIELDS[f"items[{index}].invoice_id"] = f"pick_{pk}"
        return picked


def _plain(minor: int, currency: str) -> str:
    return f"{to_decimal(minor, currency)}"


class SignForm(ServiceErrorMixin, forms.Form):
    role = forms.ChoiceField(label=_("Sign as"), choices=SignOffRole.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, SignOffRole(r).label) for r in roles] or SignOffRole.choices


class RejectForm(ServiceErrorMixin, forms.Form):
    reason = forms.CharField(label=_("Why it is rejected"), max_length=MAX_NOTE,
                             widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(ServiceErrorMixin, forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), required=False, max_length=MAX_NOTE)


class EvidenceForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"evidence[0].kind": "kind", "evidence[0].name": "file", "evidence[0].content": "file",
                      "evidence[0].description": "description"}

    kind = forms.ChoiceField(label=_("Kind"), choices=EVIDENCE_KINDS)
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("What it shows"), required=False, max_length=300)


class TaxFilingForm(ServiceErrorMixin, forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE_INPUT)
    reference = forms.CharField(label=_("Reference"), max_length=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_NOTE)
    file = forms.FileField(label=_("Filing receipt"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("filed_on", timezone.localdate())


class SettingsForm(ServiceErrorMixin, forms.Form):
    executive_above = AmountField(label=_("An executive also signs above (CNY)"), min_minor=0)
    SERVICE_FIELDS = {"executive_above_minor": "executive_above"}
