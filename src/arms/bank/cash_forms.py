"""Forms of the clerk's cash workbench: list filters, the review decisions (accept, ignore, apply as edited or
split), the reconciliation's account and day, and the remittance advice upload.

Forms check the shape only (an amount has at most two decimals, a ticked item has an amount, a share names a
customer); whether the cash may go there is the services' business, checked under their locks. Their refusals
come back as ``ArmsError`` and are shown beside the field they name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.bank.enums import AliasKind, IgnoredKind
from arms.bank.models import BankAccount
from arms.bank.selectors import STATUS_ORDER, unapplied_buckets
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
    customer = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"search": (data.get("q") or "").strip(), "kind": data.get("kind") or "",
                "customer_id": data.get("customer")}


def bucket_label(key: str) -> str:
    low, _sep, high = key.partition("-")
    if key.endswith("+"):
        return str(_("Over %(days)s days")) % {"days": int(key[:-1]) - 1}
    return str(_("%(low)s–%(high)s days")) % {"low": low, "high": high}


def bucket_choices() -> list[tuple[str, str]]:
    return [(b.key, bucket_label(b.key)) for b in unapplied_buckets()]


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


class ApplyForm(ServiceErrorMixin, forms.Form):
    """The edit / split decision: for share ``n`` (0 … MAX_SHARES-1) the fields ``share-n-customer``,
    ``share-n-item`` (the ticked invoice ids), ``share-n-amount-<invoice id>``, ``share-n-charge`` and, in a split,
    ``share-n-cash`` (the customer's part of the line, by default what the share allocates); and a note.

    Its fields follow what was posted (the items a share shows depend on the customer chosen); amounts are
    ``AmountField``s in the line's currency. After ``is_valid()`` ``shares`` holds the decision, and a service's
    refusal naming ``shares[i].allocations[n].amount_minor`` lands beside the amount typed for that invoice.
    """

    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, data, *, currency: str):
        super().__init__(data)
        self.shares: list[ShareInput] = []
        self._ticked: dict[int, list[int]] = {}
        for index in range(MAX_SHARES):
            prefix = f"share-{index}-"
            if not (data.get(prefix + "customer") or "").strip():
                continue
            self.fields[prefix + "customer"] = forms.IntegerField(min_value=1, max_value=2**63 - 1, error_messages={
                "invalid": _("Choose a customer."), "required": _("Choose a customer.")})
            ticked = [int(raw) for raw in data.getlist(prefix + "item")[:MAX_ITEMS_PER_SHARE + 1]
                      if raw.isdigit() and len(raw) < 19]
            self._ticked[index] = ticked
            for invoice_id in ticked[:MAX_ITEMS_PER_SHARE]:
                self.fields[f"{prefix}amount-{invoice_id}"] = AmountField(
                    currency=currency, min_minor=0, error_messages={"required": _("Type the amount.")})
            self.fields[prefix + "charge"] = AmountField(currency=currency, min_minor=0, required=False)
            self.fields[prefix + "cash"] = AmountField(currency=currency, min_minor=0, required=False)

    def clean(self):
        cleaned = super().clean()
        for index, ticked in self._ticked.items():
            prefix = f"share-{index}-"
            if len(ticked) > MAX_ITEMS_PER_SHARE:
                self.add_error(prefix + "customer", _("Too many items in one share."))
                continue
            customer_id = cleaned.get(prefix + "customer")
            if customer_id is None:
                continue
            allocations = tuple((pk, cleaned[f"{prefix}amount-{pk}"]) for pk in ticked
                                if cleaned.get(f"{prefix}amount-{pk}"))
            self.shares.append(ShareInput(index=index, customer_id=customer_id, allocations=allocations,
                                          charge_minor=cleaned.get(prefix + "charge") or 0,
                                          cash_minor=cleaned.get(prefix + "cash")))
        if not self._ticked:
            raise forms.ValidationError(_("Choose the customer who paid."))
        self.SERVICE_FIELDS = self._service_fields()
        return cleaned

    def _service_fields(self) -> dict[str, str]:
        """Where each input the service may name is on this form, for ``add_service_error``."""
        names = {"note": "note"}
        for position, share in enumerate(self.shares):
            prefix, field = f"share-{share.index}-", f"shares[{position}]"
            for suffix in ("", ".customer_id", ".allocations"):
                names[field + suffix] = prefix + "customer"
            names[field + ".charge_minor"] = prefix + "charge"
            names[field + ".amount_minor"] = prefix + "cash"
            for number, (invoice_id, _amount) in enumerate(share.allocations):
                for suffix in ("", ".invoice_id", ".amount_minor"):
                    names[f"{field}.allocations[{number}]{suffix}"] = f"{prefix}amount-{invoice_id}"
        return names
