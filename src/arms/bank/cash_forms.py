"""Forms of the clerk's cash workbench: list filters, the review decisions (accept, ignore, apply as edited or
split), the reconciliation's account and day, and the remittance advice upload.

Forms check the shape only (an amount has at most two decimals, a ticked item has an amount, a share names a
customer); whether the cash may go there is the services' business, checked under their locks. Their refusals
come back as ``ArmsError`` and are shown beside the field they name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.bank.enums import AliasKind, IgnoredKind
from arms.bank.models import BankAccount
from arms.bank.selectors import unapplied_buckets
from arms.common.bounds import MAX_NOTE
from arms.domain.money import MoneyError, parse_amount
from arms.web.forms import DATE_INPUT, AmountField, DateRangeMixin, ServiceErrorMixin

#: at most this many customers share one line, and this many items per customer, in one decision
MAX_SHARES = 10
MAX_ITEMS_PER_SHARE = 200
#: the kinds a clerk sets a line aside as, in the order of their keys 1…5 on the review screen
IGNORE_KINDS = (IgnoredKind.FEE, IgnoredKind.INTEREST, IgnoredKind.REFUND, IgnoredKind.TRANSFER, IgnoredKind.OTHER)


def _with_all(choices) -> list:
    return [("", _("All")), *choices]


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BankAccount) -> str:
        return f"{obj.name} · {obj.bank} ****{obj.account_number[-4:]}"


class LineFilterForm(DateRangeMixin):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Payer, remittance text or bank reference"),
                                      "type": "search", "autocomplete": "off"}),
    )
    account = AccountChoiceField(label=_("Bank account"), required=False, queryset=BankAccount.objects.none(),
                                 empty_label=_("All accounts"))
    amount_min = AmountField(label=_("Amount from"), required=False)
    amount_max = AmountField(label=_("Amount to"), required=False)
    status = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = BankAccount.objects.order_by("-active", "name", "id")

    def filters(self, *, with_status: bool = True) -> dict:
        """Keyword arguments for ``line_list``; an invalid field filters nothing."""
        from arms.bank.selectors import STATUS_ORDER

        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or ""
        account = data.get("account")
        return {
            "search": (data.get("q") or "").strip(),
            "account_id": account.pk if account else None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "amount_min": data.get("amount_min"),
            "amount_max": data.get("amount_max"),
            **({"status": status if status in STATUS_ORDER else ""} if with_status else {}),
        }


class AliasFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Payer account or name, customer"), "type": "search",
                                      "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_with_all(AliasKind.choices))

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"search": (data.get("q") or "").strip(), "kind": data.get("kind") or ""}


def _bucket_label(key: str) -> str:
    low, _sep, high = key.partition("-")
    if key.endswith("+"):
        return str(_("Over %(days)s days")) % {"days": int(key[:-1]) - 1}
    return str(_("%(low)s–%(high)s days")) % {"low": low, "high": high}


def bucket_choices() -> list[tuple[str, str]]:
    return [(b.key, _bucket_label(b.key)) for b in unapplied_buckets()]


class UnappliedFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Receipt number, bank reference, payer or customer"),
                                      "type": "search", "autocomplete": "off"}),
    )
    bucket = forms.ChoiceField(label=_("Age"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bucket"].choices = _with_all(bucket_choices())

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"search": (data.get("q") or "").strip(), "bucket": data.get("bucket") or ""}


class ReconciliationForm(forms.Form):
    account = AccountChoiceField(label=_("Bank account"), queryset=BankAccount.objects.none(), empty_label=None)
    on = forms.DateField(label=_("As of"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = BankAccount.objects.order_by("-active", "name", "id")

    @classmethod
    def initial_for_today(cls) -> dict:
        first = BankAccount.objects.order_by("-active", "name", "id").first()
        return {"account": first.pk if first else None, "on": timezone.localdate()}


class IgnoreForm(ServiceErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Set aside as"), choices=[(k.value, k.label) for k in IGNORE_KINDS])
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ResetForm(ServiceErrorMixin, forms.Form):
    reason = forms.CharField(label=_("Why undo it"), max_length=300)


class RemittanceForm(ServiceErrorMixin, forms.Form):
    file = forms.FileField(label=_("Remittance advice (Excel or CSV)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


@dataclass(frozen=True)
class ShareInput:
    """One customer's part of a line as the clerk typed it."""

    index: int
    customer_id: int
    allocations: tuple[tuple[int, int], ...]
    charge_minor: int
    cash_minor: int | None = None  # this customer's part of the line when split; None: what it allocates


class ApplyForm:
    """The edit / split decision: for share ``n`` (0 … MAX_SHARES-1) the fields ``share-n-customer``,
    ``share-n-item`` (the ticked invoice ids), ``share-n-amount-<invoice id>``, ``share-n-charge`` and, in a split,
    ``share-n-cash`` (the customer's part of the line, by default what the share allocates); and a note.

    Not a Django ``Form`` (its fields depend on the items shown) but it behaves like one for the templates:
    ``errors`` maps a field name to its messages, ``non_field_errors`` lists the rest, ``shares`` holds what was
    typed once ``is_valid()``.
    """

    def __init__(self, data, *, currency: str):
        self.data = data
        self.currency = currency
        self.errors: dict[str, list[str]] = {}
        self.shares: list[ShareInput] = []
        self.note = ""

    def _error(self, name: str, message) -> None:
        self.errors.setdefault(name, []).append(str(message))

    def non_field_errors(self) -> list[str]:
        return self.errors.get("__all__", [])

    def _amount(self, name: str, *, required: bool) -> int | None:
        text = (self.data.get(name) or "").strip()
        if not text:
            if required:
                self._error(name, _("Type the amount."))
            return None
        if len(text) > 30:
            self._error(name, _("The amount is too large."))
            return None
        try:
            minor = parse_amount(text, self.currency)
        except MoneyError as error:
            from arms.common.errors import money_message

            self._error(name, money_message(error))
            return None
        if minor < 0:
            self._error(name, _("The amount cannot be negative."))
            return None
        if minor > 10**15:
            self._error(name, _("The amount is too large."))
            return None
        return minor

    def is_valid(self) -> bool:
        self.note = (self.data.get("note") or "").strip()
        if len(self.note) > min(MAX_NOTE, 500):
            self._error("note", _("The note is too long."))
        for index in range(MAX_SHARES):
            prefix = f"share-{index}-"
            raw_customer = (self.data.get(prefix + "customer") or "").strip()
            if not raw_customer:
                continue
            if not raw_customer.isdigit():
                self._error(prefix + "customer", _("Choose a customer."))
                continue
            ticked = self.data.getlist(prefix + "item")[:MAX_ITEMS_PER_SHARE + 1]
            if len(ticked) > MAX_ITEMS_PER_SHARE:
                self._error(prefix + "customer", _("Too many items in one share."))
                continue
            allocations = []
            for raw in ticked:
                if not raw.isdigit():
                    continue
                amount = self._amount(f"{prefix}amount-{raw}", required=True)
                if amount:
                    allocations.append((int(raw), amount))
            charge = self._amount(prefix + "charge", required=False) or 0
            cash = self._amount(prefix + "cash", required=False)
            self.shares.append(ShareInput(index=index, customer_id=int(raw_customer),
                                          allocations=tuple(allocations), charge_minor=charge, cash_minor=cash))
        if not self.shares and not self.errors:
            self._error("__all__", _("Choose the customer who paid."))
        return not self.errors

    def add_service_error(self, error) -> None:
        """A service's refusal beside the input it names (``shares[i].allocations[n].amount_minor`` is the amount
        typed for that invoice in the i-th share, ``shares[i].charge_minor`` its charge …), else above the form."""
        self._error(self.field_of(error.field or ""), error.message)

    def field_of(self, service_field: str) -> str:
        match = re.match(r"^shares\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?)?", service_field)
        if match is None:
            return "note" if service_field == "note" else "__all__"
        position, part, number = int(match.group(1)), match.group(2), match.group(3)
        if position >= len(self.shares):
            return "__all__"
        share = self.shares[position]
        prefix = f"share-{share.index}-"
        if part == "allocations" and number is not None and int(number) < len(share.allocations):
            return f"{prefix}amount-{share.allocations[int(number)][0]}"
        return prefix + {"charge_minor": "charge", "amount_minor": "cash"}.get(part or "", "customer")
