"""Forms of invoice delivery proof (送达 / 签收确认) and what the invoice page's delivery block shows."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE
from arms.customers.models import Contact
from arms.ledger import selectors as ledger
from arms.ledger.enums import DeliveryChannel, ReceiptChannel
from arms.ledger.models.delivery import MAX_CARRIER, MAX_RECIPIENT, MAX_TRACKING_NO
from arms.web.forms import DATE_INPUT, ServiceErrorMixin


class DeliveryForm(ServiceErrorMixin, forms.Form):
    """How the invoice went out: channel, date, and for post the carrier and tracking number."""

    SERVICE_FIELDS = {"invoices": "", "invoice": ""}

    channel = forms.ChoiceField(label=_("Delivered by"), choices=DeliveryChannel.choices)
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE_INPUT)
    carrier = forms.CharField(label=_("Carrier"), max_length=MAX_CARRIER, required=False,
                              help_text=_("Post: EMS, SF Express ..."))
    tracking_no = forms.CharField(label=_("Tracking number"), max_length=MAX_TRACKING_NO, required=False)
    recipient = forms.CharField(label=_("Recipient"), max_length=MAX_RECIPIENT, required=False)
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def initial_values() -> dict:
        return {"delivered_on": timezone.localdate(), "channel": DeliveryChannel.POST, "carrier": "EMS"}

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"channel": data["channel"], "delivered_on": data["delivered_on"], "carrier": data["carrier"],
                "tracking_no": data["tracking_no"], "recipient": data["recipient"], "note": data["note"]}


class ReceiptForm(ServiceErrorMixin, forms.Form):
    """The customer confirmed receipt: how, when, who, and the signed receipt scan."""

    SERVICE_FIELDS = {"received_on": "received_on", "invoice": ""}

    channel = forms.ChoiceField(label=_("Confirmed by"), choices=[
        (ReceiptChannel.SCAN, ReceiptChannel.SCAN.label), (ReceiptChannel.EMAIL, ReceiptChannel.EMAIL.label)])
    received_on = forms.DateField(label=_("Receipt date"), widget=DATE_INPUT)
    contact = forms.ModelChoiceField(label=_("Contact"), queryset=Contact.objects.none(), required=False)
    scan = forms.FileField(label=_("Signed receipt scan"), required=False)
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(customer_id=invoice.customer_id).order_by("name")

    @staticmethod
    def initial_values() -> dict:
        return {"received_on": timezone.localdate(), "channel": ReceiptChannel.SCAN}

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"channel": data["channel"], "received_on": data["received_on"], "contact": data["contact"],
                "scan": data["scan"], "note": data["note"]}


class SendForm(ServiceErrorMixin, forms.Form):
    """E-mail the invoice copy (PDF attached)."""

    to = forms.CharField(label=_("Send to"), max_length=1000,
                         help_text=_("One or more e-mail addresses, separated by commas."))
    message = forms.CharField(label=_("Message"), max_length=MAX_NOTE, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def initial_for(invoice) -> dict:
        contacts = Contact.objects.filter(customer_id=invoice.customer_id).exclude(email="")
        first = contacts.order_by("-is_primary", "name").first()
        return {"to": first.email if first else ""}


class OutstandingFilterForm(forms.Form):
    """The filters of /invoices/undelivered/."""

    state = forms.ChoiceField(label=_("Show"), required=False, choices=[
        ("undelivered", _("Not delivered")), ("unconfirmed", _("Delivered, receipt not confirmed"))])
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Invoice number, VAT invoice number or customer"),
                                      "type": "search", "autocomplete": "off"}),
    )
    salesperson = forms.ModelChoiceField(label=_("Salesperson"), required=False, queryset=None)
    channel = forms.ChoiceField(label=_("Delivered by"), required=False,
                                choices=[("", _("All")), *DeliveryChannel.choices])
    customer = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["salesperson"].queryset = (get_user_model().objects.filter(sales_customers__isnull=False)
                                               .distinct().order_by("username"))

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        person = data.get("salesperson")
        return {"state": data.get("state") or "undelivered", "search": (data.get("q") or "").strip(),
                "salesperson_id": person.pk if person else None, "channel": data.get("channel") or "",
                "customer_id": data.get("customer")}


def delivery_block(request, invoice, **forms_given) -> dict:
    """What the invoice page's delivery block shows: the state, the history, and the forms the user may use."""
    user = request.user
    can_record = user.has_perm("ledger.add_invoicedelivery")
    if not (can_record or user.has_perm("ledger.view_invoicedelivery")):
        return {"delivery": None}
    return {
        "delivery": ledger.delivery_status(invoice),
        "delivery_history": list(ledger.invoice_delivery_history(invoice)),
        "delivery_form": forms_given.get("delivery_form")
        or (DeliveryForm(initial=DeliveryForm.initial_values()) if can_record else None),
        "receipt_form": forms_given.get("receipt_form")
        or (ReceiptForm(invoice=invoice, initial=ReceiptForm.initial_values()) if can_record else None),
        "send_form": forms_given.get("send_form")
        or (SendForm(initial=SendForm.initial_for(invoice)) if can_record else None),
    }
