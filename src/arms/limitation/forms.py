"""Forms of the limitation pages: record an interruption with its evidence, the settings. Each submits to one
service through ``run_service``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.common.bounds import MAX_NOTE
from arms.limitation.enums import InterruptionKind
from arms.web.forms import ServiceErrorMixin


class RecordForm(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"on": "date", "invoice_ids": "invoice", "invoices": "invoice"}

    invoice = forms.ChoiceField(label=_("Invoice"), required=False, choices=(),
                                help_text=_("Leave empty for all the customer's open invoices."))
    kind = forms.ChoiceField(label=_("What interrupted it"), choices=InterruptionKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}),
                           help_text=_("The day the demand arrived, the debtor acknowledged, or the case was filed."))
    evidence = forms.FileField(label=_("Evidence (postal receipt, call recording, signed acknowledgement)"),
                               required=False)
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoice"].choices = [("", _("All open invoices")), *((str(i.pk), i.number) for i in invoices)]


class SettingsForm(ServiceErrorMixin, forms.Form):
    period_years = forms.IntegerField(label=_("Limitation period (years)"), min_value=1, max_value=20)
    alert_days = forms.RegexField(label=_("Alert days before expiry"), regex=r"^\s*\d{1,4}(\s*,\s*\d{1,4}){0,9}\s*$",
                                  max_length=60, help_text=_("Comma-separated, e.g. 180, 90, 30."), required=False)

    def clean_alert_days(self) -> list[int]:
        text = self.cleaned_data.get("alert_days") or ""
        return [int(part) for part in text.split(",") if part.strip()]
