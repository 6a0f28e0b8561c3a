"""Forms of the collections pages. They check the shape of the input; the services check the rules and their
refusals are shown beside the field they name (``add_service_error``)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.accounts.names import person_name
from arms.accounts.roles import Role
from arms.cases.enums import (
    ActivityKind,
    ActivityOutcome,
    Department,
    Direction,
    DisputeReason,
    DisputeResolution,
    Level,
    TaskKind,
)
from arms.cases.jobs import BUNDLE_NOTE_MAX
from arms.cases.selectors import OVERDUE_BUCKETS
from arms.common.uploads import upload_max_bytes, upload_too_large_message
from arms.customers.enums import Region
from arms.web.forms import AmountField, ServiceErrorMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
BUCKET_LABELS = {"current": _("Not overdue"), "1_30": _("1-30 days"), "31_60": _("31-60 days"),
                 "61_90": _("61-90 days"), "91_180": _("91-180 days"), "over_180": _("Over 180 days")}


def _all(choices) -> list:
    return [("", _("All")), *choices]


class WorklistFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code or name"),
                                                      "autocomplete": "off"}))
    collector = forms.ChoiceField(label=_("Collector"), required=False)
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=_all(
        [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("unrated", _("Not rated"))]))
    region = forms.ChoiceField(label=_("Region"), required=False, choices=_all(Region.choices))
    bucket = forms.ChoiceField(label=_("Oldest item"), required=False,
                               choices=_all([(code, BUCKET_LABELS[code]) for code, _lo, _hi in OVERDUE_BUCKETS]))
    tasks = forms.ChoiceField(label=_("Open tasks"), required=False,
                              choices=[("", _("All")), ("yes", _("With open tasks")), ("no", _("Without"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True, groups__name__in=[Role.COLLECTOR,
                                                                                  Role.FINANCE_CLERK,
                                                                                  Role.FINANCE_MANAGER]).distinct()
        self.fields["collector"].choices = [("", _("All")), ("me", _("Mine"))] + [
            (str(u.pk), person_name(u)) for u in users.order_by("username")]

    def filters(self, *, user) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        collector = data.get("collector", "")
        tasks = data.get("tasks", "")
        return {
            "search": (data.get("q") or "").strip(),
            "collector_id": user.pk if collector == "me" else (int(collector) if collector else None),
            "grade": data.get("grade", ""),
            "region": data.get("region", ""),
            "bucket": data.get("bucket", ""),
            "has_open_tasks": {"yes": True, "no": False}.get(tasks),
        }


class ActivityForm(ServiceErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in ActivityKind.choices
                                                         if c[0] not in (ActivityKind.SYSTEM, ActivityKind.HANDOFF)])
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, initial=Direction.OUT)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *ActivityOutcome.choices], required=False)
    occurred_at = forms.DateTimeField(label=_("When"), required=False, widget=DATETIME_INPUT,
                                      help_text=_("Now when empty."))
    note = forms.CharField(label=_("Note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    invoices = forms.MultipleChoiceField(label=_("Invoices"), required=False,
                                         widget=forms.SelectMultiple(attrs={"size": 3}))
    attachment = forms.FileField(label=_("Attachment"), required=False)
    SERVICE_FIELDS = {"attachment_name": "attachment"}

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoices"].choices = [(str(inv.pk), inv.number) for inv in invoices]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload is not None and upload.size > upload_max_bytes():
            raise forms.ValidationError(upload_too_large_message())
        return upload

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        upload = data.get("attachment")
        when = data.get("occurred_at")
        if isinstance(when, datetime) and timezone.is_naive(when):
            when = timezone.make_aware(when)
        return {
            "kind": data["kind"], "direction": data["direction"], "outcome": data.get("outcome") or "",
            "note": data.get("note") or "", "occurred_at": when, "invoices": [int(pk) for pk in data["invoices"]],
            "attachment_name": upload.name if upload else "", "attachment_bytes": upload.read() if upload else None,
        }


class TaskForm(ServiceErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices)
    title = forms.CharField(label=_("What to do"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.FINANCE)
    due_on = forms.DateField(label=_("Due on"), widget=DATE_INPUT)


class TaskCompleteForm(ServiceErrorMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *ActivityOutcome.choices], required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class PromiseForm(ServiceErrorMixin, forms.Form):
    amount = AmountField(label=_("Amount"))
    promised_on = forms.DateField(label=_("Promised date"), widget=DATE_INPUT)
    invoices = forms.MultipleChoiceField(label=_("Invoices"), required=False,
                                         widget=forms.SelectMultiple(attrs={"size": 3}))
    contact_name = forms.CharField(label=_("Contact"), required=False, max_length=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    SERVICE_FIELDS = {"amount_minor": "amount"}

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoices"].choices = [(str(inv.pk), inv.number) for inv in invoices]


class PlanForm(ServiceErrorMixin, forms.Form):
    invoices = forms.MultipleChoiceField(label=_("Invoices"), widget=forms.SelectMultiple(attrs={"size": 3}))
    total = AmountField(label=_("Total"), required=False, help_text=_("What the invoices owe when empty."))
    installments = forms.IntegerField(label=_("Installments"), min_value=1, max_value=60, initial=3)
    first_due_on = forms.DateField(label=_("First due on"), widget=DATE_INPUT)
    every_months = forms.IntegerField(label=_("Every (months)"), min_value=1, max_value=12, initial=1)
    grace_days = forms.IntegerField(label=_("Grace days"), min_value=0, max_value=90, initial=7)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    SERVICE_FIELDS = {"total_minor": "total"}

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoices"].choices = [(str(inv.pk), inv.number) for inv in invoices]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class DisputeForm(ServiceErrorMixin, forms.Form):
    invoice = forms.ChoiceField(label=_("Invoice"))
    amount = AmountField(label=_("Disputed amount"))
    reason_code = forms.ChoiceField(label=_("Reason"), choices=DisputeReason.choices)
    department = forms.ChoiceField(label=_("Department"), required=False,
                                   choices=[("", _("Default for the reason")), *Department.choices])
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    SERVICE_FIELDS = {"amount_minor": "amount", "invoice_id": "invoice"}

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoice"].choices = [(str(inv.pk), inv.number) for inv in invoices]


class DisputeResolveForm(ServiceErrorMixin, forms.Form):
    resolution = forms.ChoiceField(label=_("Resolution"), choices=DisputeResolution.choices)
    credit = AmountField(label=_("Credit (gross)"), required=False,
                         help_text=_("For a credit note; the disputed amount when empty."))
    corrected_invoice_ref = forms.CharField(label=_("Corrected invoice"), required=False, max_length=60)
    note = forms.CharField(label=_("Note"), required=False, max_length=BUNDLE_NOTE_MAX)
    SERVICE_FIELDS = {"credit_minor": "credit"}


class BundleForm(ServiceErrorMixin, forms.Form):
    recipient = forms.CharField(label=_("Handed to"), max_length=200,
                                widget=forms.TextInput(attrs={"placeholder": _("Agency or law firm")}))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
