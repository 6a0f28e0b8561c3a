"""Forms of the bank pages: a bank account, a statement upload, and the column mapping of an own layout."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.bank.models import BankAccount
from arms.bank.parsers import BUILT_IN, GENERIC
from arms.bank.services.importing import OWN_PROFILE


def layout_choices(*, own: bool = False, auto_label=None) -> list[tuple[str, str]]:
    choices = [("", auto_label or _("Recognise from the header"))]
    if own:
        choices.append((OWN_PROFILE, _("The account's own column layout")))
    return [*choices, *((p.key, p.name) for p in (*BUILT_IN, GENERIC))]

class BankAccountForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What staff call it, e.g. 工行基本户."))
    bank = forms.CharField(label=_("Bank"), max_length=100)
    branch = forms.CharField(label=_("Branch (开户行)"), max_length=200, required=False)
    account_number = forms.CharField(label=_("Account number"), max_length=64)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    ledger_account = forms.CharField(label=_("Ledger sub-account (1002)"), max_length=20, initial="1002")
    profile_key = forms.ChoiceField(label=_("Export layout"), required=False, choices=())
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile_key"].choices = layout_choices()

class UploadForm(forms.Form):
    file = forms.FileField(label=_("Statement file (CAMT.053, MT940, CSV, XLS or XLSX; at most 20 MB)"))
    account = forms.ModelChoiceField(label=_("Bank account"), required=False, queryset=BankAccount.objects.none(),
                                     empty_label=_("The account named in the file"))
    profile = forms.ChoiceField(label=_("Layout of a CSV or Excel export"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = BankAccount.objects.filter(active=True).order_by("name")
        self.fields["profile"].choices = layout_choices(own=True, auto_label=_("The account's layout, else "
                                                                                "recognise from the header"))

class ColumnMappingForm(forms.Form):
    """For each field, the header text of the column that holds it (several separated by commas)."""

    name = forms.CharField(label=_("Name of the layout"), max_length=60, required=False)
    date = forms.CharField(label=_("Booking date"), max_length=200)
    amount = forms.CharField(label=_("Amount (signed, or with a debit/credit column)"), max_length=200,
                             required=False)
    direction = forms.CharField(label=_("Debit/credit mark (借/贷)"), max_length=200, required=False)
    credit = forms.CharField(label=_("Money in (贷方/收入)"), max_length=200, required=False)
    debit = forms.CharField(label=_("Money out (借方/支出)"), max_length=200, required=False)
    counterparty_name = forms.CharField(label=_("Payer name (对方户名)"), max_length=200, required=False)
    counterparty_account = forms.CharField(label=_("Payer account (对方账号)"), max_length=200, required=False)
    counterparty_bank = forms.CharField(label=_("Payer bank (对方开户行)"), max_length=200, required=False)
    remittance = forms.CharField(label=_("Remittance text (摘要/用途/附言)"), max_length=200, required=False)
    reference = forms.CharField(label=_("Bank reference (流水号)"), max_length=200, required=False)
    balance = forms.CharField(label=_("Balance (余额)"), max_length=200, required=False)
    currency = forms.CharField(label=_("Currency (币种)"), max_length=200, required=False)
    name_then_account = forms.BooleanField(label=_("The payer column holds the name followed by the account"),
                                           required=False)

    @classmethod
    def initial_from(cls, mapping: dict | None) -> dict:
        if not mapping:
            return {}
        return {key: (", ".join(value) if isinstance(value, list) else value) for key, value in mapping.items()}

