"""Forms of manual cash application: apply a payment to items a clerk ticks, undo an allocation with a reason,
record a payment against one invoice, post a credit note (红字) or an invoice, decide a four-eyes approval.

They check the shape of the input (amounts are money, at most the open amount, the total at most what is
unapplied) and show the ledger services' refusals beside the field they name (``ServiceErrorMixin``).
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.common.api_types import MAX_MINOR
from arms.domain.money import format_amount, format_money
from arms.ledger.services.allocations import AllocationRequest
from arms.web.forms import DATE_INPUT, AmountField, AmountForm, PaymentForm, ServiceErrorMixin


def _key() -> str:
    return uuid.uuid4().hex


class ApplyCashForm(ServiceErrorMixin, forms.Form):
    """The payment's unapplied cash to the open items a clerk ticks: ``pick_<invoice id>`` and
    ``amount_<invoice id>`` per item of the customer in the payment's currency; ``lines`` once valid."""

    date = forms.DateField(label=_("Allocation date"), required=False, widget=DATE_INPUT,
                           help_text=_("Today when empty."))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, data=None, *, payment, items, **kwargs):
        kwargs.setdefault("initial", {"idempotency_key": _key()})
        super().__init__(data, **kwargs)
        self.payment = payment
        self.items = list(items)
        self.by_id = {invoice.pk: invoice for invoice in self.items}
        left = payment.amount_unallocated_minor
        for invoice in self.items:
            self.fields[f"pick_{invoice.pk}"] = forms.BooleanField(label=invoice.number, required=False)
            self.fields[f"amount_{invoice.pk}"] = AmountField(
                label=_("Amount to apply to %(number)s") % {"number": invoice.number}, required=False,
                currency=payment.currency, min_minor=0,
                initial=format_amount(min(invoice.amount_open_minor, left), payment.currency),
            )
        self.lines: list[AllocationRequest] = []

    def rows(self, invoices) -> list[tuple]:
        """(invoice, its tick box, its amount) for the items of one page of the list."""
        return [(invoice, self[f"pick_{invoice.pk}"], self[f"amount_{invoice.pk}"]) for invoice in invoices
                if invoice.pk in self.by_id]

    def clean(self):
        cleaned = super().clean()
        for key in self.data:
            if key.startswith("pick_") and not (key[5:].isdigit() and int(key[5:]) in self.by_id):
                self.add_error(None, _("%(item)s is not an open item of this customer in %(currency)s.")
                               % {"item": key[5:][:20], "currency": self.payment.currency})
        total = 0
        for invoice in self.items:
            if not cleaned.get(f"pick_{invoice.pk}"):
                continue
            field = f"amount_{invoice.pk}"
            if field in self.errors:
                continue
            amount = cleaned.get(field)
            if not amount:
                self.add_error(field, _("Type the amount to apply."))
            elif amount > invoice.amount_open_minor:
                self.add_error(field, _("Only %(open)s is open on %(number)s.")
                               % {"open": format_money(invoice.amount_open_minor, invoice.currency),
                                  "number": invoice.number})
            else:
                self.lines.append(AllocationRequest(invoice_id=invoice.pk, amount_minor=amount))
                total += amount
        # a refusal of the ledger names lines[i]: shown beside the amount of the i-th ticked item
        self.SERVICE_FIELDS = {"date": "date", **{f"lines[{i}].{name}": f"amount_{line.invoice_id}"
                                                  for i, line in enumerate(self.lines)
                                                  for name in ("amount_minor", "invoice_id")}}
        if not self.lines and not self.errors:
            self.add_error(None, _("Tick at least one item to apply the payment to."))
        if total > self.payment.amount_unallocated_minor:
            self.add_error(None, _("%(total)s is more than the payment's unapplied %(left)s.")
                           % {"total": format_money(total, self.payment.currency),
                              "left": format_money(self.payment.amount_unallocated_minor, self.payment.currency)})
        return cleaned

class AllocationReverseForm(ServiceErrorMixin, forms.Form):
    """Undo an allocation: the reason is required, stored and audited."""

    reason = forms.CharField(label=_("Why undo it"), max_length=500,
                             widget=forms.TextInput(attrs={"placeholder": _("e.g. the customer paid another invoice")}))
    date = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the allocation is undone."))
        return reason


class InvoicePaymentForm(PaymentForm):
    """A payment received for one invoice, applied to it: prefilled with the invoice's open amount."""

    field_order = ["amount", "currency", "received_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["auto_allocate"]
        del self.fields["contract"]

    @classmethod
    def initial_for_invoice(cls, invoice) -> dict:
        return {"received_date": timezone.localdate(), "currency": invoice.currency,
                "amount": format_amount(invoice.amount_open_minor, invoice.currency), "idempotency_key": _key()}

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "received_date": data["received_date"], "amount_minor": data["amount_minor"],
            "currency": data["currency"], "method": data["method"], "bank_reference": data["bank_reference"].strip(),
            "payer_name": data["payer_name"].strip(), "bill_number": data["bill_number"].strip(),
            "bill_maturity_date": data["bill_maturity_date"],
            "idempotency_key": f"web-invoice-payment-{data['idempotency_key']}",
        }


class CreditNoteForm(ServiceErrorMixin, forms.Form):
    """A credit note (红字) on one invoice: net and VAT in the invoice's currency, a date and a reason."""

    SERVICE_FIELDS = {"net_minor": "net", "tax_minor": "tax"}

    net = AmountField(label=_("Net amount"), min_minor=0)
    tax = AmountField(label=_("VAT"), min_minor=0, required=False)
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    number = forms.CharField(label=_("Credit note number"), max_length=60, required=False,
                             help_text=_("Taken from the series when empty."))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoice = invoice
        self.fields["net"].currency = invoice.currency
        self.fields["tax"].currency = invoice.currency

    @staticmethod
    def initial_for(invoice) -> dict:
        return {"date": timezone.localdate(), "idempotency_key": _key()}

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"on": data["date"], "net_minor": data["net"], "tax_minor": data["tax"] or 0,
                "reason": data["reason"].strip(), "number": data["number"].strip() or None,
                "idempotency_key": f"web-credit-note-{data['idempotency_key']}"}


class InvoiceForm(ServiceErrorMixin, AmountForm):
    """An invoice for one customer. ``amount`` is the net amount; VAT beside it."""

    SERVICE_FIELDS = {"net_minor": "amount", "tax_minor": "tax", "customer": "", "contract": "contract"}
    field_order = ["issue_date", "due_date", "amount", "tax", "currency", "contract", "vat_invoice_number",
                   "number", "description"]

    tax = AmountField(label=_("VAT"), currency=None, required=False)
    issue_date = forms.DateField(label=_("Issue date"), widget=DATE_INPUT)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_INPUT,
                               help_text=_("From the contract's or customer's terms when empty."))
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)
    vat_invoice_number = forms.CharField(label=_("VAT invoice number"), max_length=40, required=False)
    number = forms.CharField(label=_("Invoice number"), max_length=60, required=False,
                             help_text=_("Taken from the series when empty."))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        self.fields["amount"].label = _("Net amount")
        self.fields["contract"].queryset = customer.contracts.filter(status="active").order_by("number")

    @staticmethod
    def initial_for(customer) -> dict:
        return {"issue_date": timezone.localdate(), "currency": customer.currency, "idempotency_key": _key()}

    def clean(self):
        cleaned = super().clean()
        tax = cleaned.get("tax")
        cleaned["tax_minor"] = 0
        if tax and "currency" in cleaned:
            try:
                cleaned["tax_minor"] = self.fields["tax"].to_minor(tax, cleaned["currency"])
            except forms.ValidationError as error:
                self.add_error("tax", error)
        if cleaned.get("amount_minor") is not None and cleaned["amount_minor"] + cleaned["tax_minor"] > MAX_MINOR:
            self.add_error("tax", _("The amount is too large."))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"issue_date": data["issue_date"], "due_date": data["due_date"], "net_minor": data["amount_minor"],
                "tax_minor": data["tax_minor"], "currency": data["currency"], "contract": data["contract"],
                "vat_invoice_number": data["vat_invoice_number"].strip(), "number": data["number"].strip() or None,
                "description": data["description"].strip(),
                "idempotency_key": f"web-invoice-{data['idempotency_key']}"}


class ApprovalDecisionForm(ServiceErrorMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))],
                                 widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False,
                           help_text=_("Required to reject: say why."))

    SERVICE_FIELDS = {"approval": ""}


class LedgerSettingsForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"four_eyes_minor": "four_eyes"}

    four_eyes = AmountField(label=_("Second approver above (CNY)"), min_minor=0)


class RecoveryForm(ServiceErrorMixin, forms.Form):
    """Apply a payment's unapplied cash to a written-off invoice: the write-off is recovered by what the invoice's
    open amount does not cover, then the payment settles it (``payment_apply_to_written_off``)."""

    SERVICE_FIELDS = {"amount_minor": "amount", "invoice_id": "payment"}

    payment = forms.TypedChoiceField(label=_("Payment"), coerce=int)
    amount = AmountField(label=_("Amount"), min_minor=1)

    def __init__(self, *args, invoice, payments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment"].choices = [
            (p.pk, f"{p.number} {p.received_date:%Y-%m-%d} {format_money(p.amount_unallocated_minor, p.currency)}")
            for p in payments]
        self.fields["amount"].currency = invoice.currency
