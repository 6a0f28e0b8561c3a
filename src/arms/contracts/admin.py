"""Contracts with their milestones, attachments and (read-only) versions.

Saving goes through the services: a new contract through ``contract_create``; a change of an existing
one through ``contract_amend``, which keeps the old terms as a version and needs a reason; a new
attachment through ``contract_attach``, which fingerprints the file. All of it is audited.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from arms.common.admin import ReadOnlyInline, amount_column
from arms.common.errors import ArmsError, money_message
from arms.contracts import services
from arms.contracts.models import Contract, ContractAttachment, ContractMilestone, ContractVersion
from arms.domain.money import MoneyError, format_amount, parse_amount

#: the terms the admin form edits directly (the amount is typed in major units, see ContractAdminForm)
FORM_TERMS = [name for name in services.TERMS if name != "amount_minor"]


class MilestoneFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        shares = [f.cleaned_data["share_bp"] for f in self.forms
                  if f.cleaned_data and not f.cleaned_data.get("DELETE") and "share_bp" in f.cleaned_data]
        if shares and sum(shares) != 10_000:
            raise forms.ValidationError(_("Milestone shares must add up to 100% (10,000 basis points)."))


class MilestoneInline(admin.TabularInline):
    model = ContractMilestone
    formset = MilestoneFormSet
    fields = ("name", "share_bp", "due_days")
    ordering = ("sequence",)
    extra = 0


class AttachmentInline(admin.TabularInline):
    """New files can be attached; an attachment, once stored as evidence, is never changed."""

    model = ContractAttachment
    fields = ("file", "description", "sha256", "created_at")
    readonly_fields = ("sha256", "created_at")
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VersionInline(ReadOnlyInline):
    model = ContractVersion
    fields = ("version", "reason", "amended_by", "created_at", "terms")
    readonly_fields = fields
    ordering = ("version",)


class ContractAdminForm(forms.ModelForm):
    amount = forms.CharField(label=_("Amount"), max_length=30, help_text=_("Contract value, e.g. 1,250,000.00."))
    amendment_reason = forms.CharField(
        label=_("Reason for the amendment"), max_length=300, required=False,
        help_text=_("Required when changing an existing contract: the old terms are kept as a version."),
    )

    class Meta:
        model = Contract
        fields = ["customer", "number", *FORM_TERMS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("late_interest_rate_daily", "penalty_rate"):
            if isinstance(self.initial.get(name), Decimal):  # 0.0000000 reads back as "0E-7": show "0"
                self.initial[name] = f"{self.initial[name].normalize():f}"
        if self.instance.pk:
            self.initial["amount"] = format_amount(self.instance.amount_minor, self.instance.currency)
        else:
            self.fields["amendment_reason"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        currency = cleaned.get("currency") or "CNY"
        if cleaned.get("amount"):
            try:
                cleaned["amount_minor"] = parse_amount(cleaned["amount"], currency)
            except MoneyError as error:
                self.add_error("amount", money_message(error))
        terms = {name: cleaned[name] for name in services.TERMS if name in cleaned}
        try:
            services.ContractTerms(**terms).clean()
        except ArmsError as error:
            field = "amount" if error.field == "amount_minor" else error.field
            self.add_error(field if field in self.fields else None, error.message)
        if self.instance.pk and not (cleaned.get("amendment_reason") or "").strip():
            self.add_error("amendment_reason", _("Say why the contract is amended."))
        return cleaned

    def changed_terms(self) -> dict:
        """The terms that differ from the stored contract (all of them for a new one)."""
        data = self.cleaned_data
        if not self.instance.pk:
            return {name: data[name] for name in services.TERMS if name in data}
        changed = {name: data[name] for name in FORM_TERMS if name in self.changed_data}
        if data.get("amount_minor") != self.instance.amount_minor:
            changed["amount_minor"] = data["amount_minor"]
        return changed


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    form = ContractAdminForm
    inlines = [MilestoneInline, AttachmentInline, VersionInline]
    list_display = ("number", "customer", "title", "signed_date", "amount_display", "currency", "status", "version")
    list_filter = ("status", "guarantee_type", "dispute_resolution")
    search_fields = ("number", "title", "customer__name", "customer__code")
    autocomplete_fields = ("customer",)
    list_select_related = ("customer",)
    readonly_fields = ("version",)
    amount_display = amount_column("amount_minor", _("amount"))
    fieldsets = (
        (None, {"fields": ("customer", "number", "title", "status", "version", "amendment_reason")}),
        (_("Dates and amount"), {"fields": ("signed_date", "start_date", "end_date", "currency", "amount")}),
        (_("Payment terms and penalties"), {"fields": (
            "payment_terms_days", "payment_terms_basis", "late_interest_rate_daily", "penalty_rate", "penalty_clause",
        )}),
        (_("Security and disputes"), {"fields": (
            "guarantee_type", "guarantee_details", "dispute_resolution", "dispute_venue",
        )}),
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Invoices point at contracts and the audit trail names them: a contract ends, it is not deleted.
        return False

    def get_readonly_fields(self, request, obj=None):
        # The number and the buyer identify the contract on every invoice; amendments change terms only.
        return ("customer", "number", "version") if obj is not None else ("version",)

    def save_model(self, request, obj, form, change):
        """Nothing here: the contract is written with its milestones in one service call (save_related)."""

    def save_related(self, request, form, formsets, change):
        milestone_set = next(fs for fs in formsets if fs.model is ContractMilestone)
        attachment_set = next(fs for fs in formsets if fs.model is ContractAttachment)
        for formset in formsets:  # the admin's change message reads these, which formset.save() would set
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        milestones = [
            services.MilestoneIn(f.cleaned_data["name"], f.cleaned_data["share_bp"], f.cleaned_data["due_days"])
            for f in milestone_set.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        terms = form.changed_terms()
        if not change:
            contract = services.contract_create(
                actor=request.user, customer=form.cleaned_data["customer"], number=form.cleaned_data["number"],
                signed_date=terms.pop("signed_date"), amount_minor=terms.pop("amount_minor"), milestones=milestones,
                **terms,
            )
        elif terms or milestone_set.has_changed():
            contract = services.contract_amend(
                actor=request.user, contract=form.instance, reason=form.cleaned_data["amendment_reason"],
                milestones=milestones if milestone_set.has_changed() else None, **terms,
            )
        else:
            contract = form.instance
        form.instance.pk = contract.pk
        form.instance._state.adding = False
        for attachment in attachment_set.forms:
            upload = attachment.cleaned_data.get("file") if attachment.cleaned_data else None
            if upload and not attachment.instance.pk:
                services.contract_attach(actor=request.user, contract=contract, filename=upload.name,
                                         content=upload.read(), description=attachment.cleaned_data["description"])
