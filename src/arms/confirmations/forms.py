"""Forms of the confirmation pages: start a run, record a postal dispatch, record the answer (with the scan and up
to five differences), settle a difference, the settings. Each submits to one service through ``run_service``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE
from arms.confirmations.enums import Answer, DifferenceKind, Frequency, ReplyChannel, Resolution
from arms.ledger.models import Invoice
from arms.web.forms import AmountField, ServiceErrorMixin

#: rows of differences the answer form offers
DIFFERENCE_ROWS = 5


class RunStartForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"period_end": "period"}

    period = forms.RegexField(label=_("Month"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7,
                              help_text=_("YYYY-MM: the month whose end the balances are confirmed as of."),
                              widget=forms.TextInput(attrs={"type": "month"}))


class PostForm(ServiceErrorMixin, forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=60, initial="EMS")
    tracking_no = forms.CharField(label=_("Tracking number"), max_length=60)
    sent_on = forms.DateField(label=_("Posted on"), widget=forms.DateInput(attrs={"type": "date"}))
    delivered_on = forms.DateField(label=_("Delivered on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    recipient = forms.CharField(label=_("Recipient"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class DeliveredForm(ServiceErrorMixin, forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"}))


class ReplyForm(ServiceErrorMixin, forms.Form):
    """The answer, its channel, the scan, and the differences as rows ``d<n>_invoice`` ... (empty rows ignored);
    the service's ``differences[2].amount_minor`` is shown beside row 2's amount."""

    SERVICE_FIELDS = {f"differences[{row}].{argument}": f"d{row}_{name}" for row in range(DIFFERENCE_ROWS)
                      for argument, name in (("invoice_id", "invoice"), ("kind", "kind"), ("amount_minor", "amount"),
                                             ("description", "description"))}

    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices, widget=forms.RadioSelect)
    channel = forms.ChoiceField(label=_("Received by"), choices=ReplyChannel.choices, initial=ReplyChannel.SCAN)
    contact = forms.ChoiceField(label=_("Contact who answered"), required=False, choices=())
    scan = forms.FileField(label=_("Signed and sealed reply (PDF or image)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE, required=False, widget=forms.Textarea(
        attrs={"rows": 2}))

    def __init__(self, *args, confirmation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirmation = confirmation
        contacts = list(confirmation.customer.contacts.order_by("-is_primary", "name")) if confirmation else []
        self.fields["contact"].choices = [("", "—"), *((str(c.pk), c.name) for c in contacts)]
        invoices = []
        if confirmation is not None:
            invoices = list(Invoice.objects.filter(customer_id=confirmation.customer_id,
                                                   issue_date__lte=confirmation.period_end)
                            .order_by("-issue_date", "-id").values_list("pk", "number")[:200])
        for row in range(DIFFERENCE_ROWS):
            self.fields[f"d{row}_invoice"] = forms.ChoiceField(
                label=_("Invoice"), required=False, choices=[("", "—"), *((str(pk), n) for pk, n in invoices)])
            self.fields[f"d{row}_kind"] = forms.ChoiceField(label=_("Difference"), required=False,
                                                            choices=[("", "—"), *DifferenceKind.choices])
            self.fields[f"d{row}_amount"] = AmountField(label=_("Amount"), required=False, min_minor=1,
                                                        currency=confirmation.currency if confirmation else "CNY")
            self.fields[f"d{row}_description"] = forms.CharField(label=_("Their explanation"), required=False,
                                                                 max_length=MAX_NOTE)

    def difference_rows(self):
        return [[self[f"d{row}_{name}"] for name in ("invoice", "kind", "amount", "description")]
                for row in range(DIFFERENCE_ROWS)]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        differences = []
        for row in range(DIFFERENCE_ROWS):
            kind = data.get(f"d{row}_kind")
            amount = data.get(f"d{row}_amount")
            invoice = data.get(f"d{row}_invoice")
            description = data.get(f"d{row}_description") or ""
            if not (kind or amount or invoice or description):
                continue
            differences.append({"invoice_id": int(invoice) if invoice else None, "kind": kind or "",
                                "amount_minor": amount, "description": description})
        contact = None
        if data.get("contact"):
            contact = self.confirmation.customer.contacts.filter(pk=int(data["contact"])).first()
        return {"answer": data["answer"], "channel": data["channel"], "note": data.get("note") or "",
                "scan": data.get("scan"), "contact": contact, "differences": differences}


class ResolveForm(ServiceErrorMixin, forms.Form):
    resolution = forms.ChoiceField(label=_("Resolution"), choices=Resolution.choices)
    explanation = forms.CharField(label=_("Explanation"), max_length=MAX_NOTE, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Required when rejected: it is e-mailed to the customer."))
    credit_note_id = forms.IntegerField(label=_("Credit note id (empty: post one now)"), required=False,
                                        min_value=1, max_value=2**63 - 1)
    corrected_invoice_id = forms.IntegerField(label=_("Corrected invoice id"), required=False, min_value=1,
                                              max_value=2**63 - 1)
    payment_id = forms.IntegerField(label=_("Payment id"), required=False, min_value=1, max_value=2**63 - 1)


class SettingsForm(ServiceErrorMixin, forms.Form):
    default_frequency = forms.ChoiceField(label=_("Default frequency"), choices=Frequency.choices)
    reminder_working_days = forms.IntegerField(label=_("Reminder after (working days)"), min_value=1,
                                               max_value=60)
    task_working_days = forms.IntegerField(label=_("Collector task after (working days)"), min_value=1,
                                           max_value=120)
    difference_working_days = forms.IntegerField(label=_("Difference deadline (working days)"), min_value=1,
                                                 max_value=60)
    grade_a_quarterly = forms.BooleanField(label=_("Grade A customers confirm quarterly"), required=False)
