"""Forms of the web UI: list filters, the statement period, and recording a payment.

Forms check the shape of the input only (a date is a date, an amount has at most two decimals).
Rules that depend on balances are the services' business; their refusals come back as ArmsError and
are shown beside the field they name (``add_service_error``).

The two pieces every form of every app uses live here, once: ``ServiceErrorMixin`` (a service's refusal shown
beside the field it names) and ``AmountField`` (an amount typed as text, cleaned to bounded integer minor units).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arms.common.api_types import MAX_MINOR
from arms.common.errors import ArmsError, money_message
from arms.contracts.models import Contract, ContractStatus
from arms.customers.enums import CustomerStatus, Industry, Region
from arms.domain.money import BASE_CURRENCY, MoneyError, check_currency, parse_amount
from arms.ledger.enums import PaymentMethod

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices_with_all(choices) -> list:
    return [("", _("All")), *choices]


class ServiceErrorMixin:
    """Shows a service's refusal (an ``ArmsError``: ValidationFailed, a conflict, a permission refusal) beside the
    field it names, or above the form when the form has no such field. ``SERVICE_FIELDS`` maps a service argument to
    the form field that holds it (``{"amount_minor": "amount"}``)."""

    SERVICE_FIELDS: dict[str, str] = {}
    #: what the service returned, after ``run_service`` succeeded
    result: Any = None

    def service_field(self, field: str) -> str | None:
        """The form field that shows a refusal naming the service's ``field``; a form whose rows or lists the service
        names by index (``lines[2].amount_minor``) overrides this to point at the row's own box."""
        return self.SERVICE_FIELDS.get(field, field)

    def add_service_error(self, error: ArmsError) -> None:
        name = self.service_field(error.field or "")
        self.add_error(name if name in self.fields else None, error.message)  # type: ignore[attr-defined]

    def run_service(self, call: Callable[[dict], Any]) -> bool:
        """The one way a view submits a form to a service: when the form is valid, ``call(cleaned_data)``. True when
        the service did it (what it returned is ``self.result``); False when the input is invalid or the service
        refused, the refusal then shown beside its field::

            if form.run_service(lambda data: services.task_create(customer=customer, actor=request.user, **data)):
                return redirect(...)
            return render(..., {"form": form}, status=400)
        """
        if not self.is_valid():  # type: ignore[attr-defined]
            return False
        try:
            self.result = call(self.cleaned_data)  # type: ignore[attr-defined]
        except ArmsError as error:
            self.add_service_error(error)
            return False
        return True


class AmountField(forms.CharField):
    """An amount typed as people write it ("1,234.56", "¥1234.56", "1 234,00" is refused), cleaned to integer minor
    units of ``currency`` (CNY unless told), never a float; empty gives None. Bounded: between ``min_minor`` and
    ``max_minor`` (±10^15 minor units, the documented maximum, unless told).

    ``currency=None`` leaves the currency to the form (a currency field beside it): the field then checks the text
    only, and the form calls ``to_minor(text, currency)`` once it knows the currency (``AmountForm``)."""

    def __init__(self, *args, currency: str | None = BASE_CURRENCY, min_minor: int = -MAX_MINOR,
                 max_minor: int = MAX_MINOR, **kwargs):
        self.currency = currency
        self.min_minor, self.max_minor = min_minor, max_minor
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if text in (None, ""):
            return None
        if self.currency is None:
            return text
        return self.to_minor(text, self.currency)

    def to_minor(self, text: str, currency: str) -> int:
        try:
            minor = parse_amount(text, currency)
        except MoneyError as exc:
            raise forms.ValidationError(money_message(exc)) from exc
        if minor > self.max_minor:
            raise forms.ValidationError(_("The amount is too large."))
        if minor < self.min_minor:
            raise forms.ValidationError(_("The amount cannot be negative.") if self.min_minor == 0
                                        else _("The amount is too small."))
        return minor


class CustomerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Code, name or 统一社会信用代码"), "type": "search",
                                      "autocomplete": "off"}),
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=_choices_with_all(Region.choices))
    industry = forms.ChoiceField(label=_("Industry"), required=False, choices=_choices_with_all(Industry.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_choices_with_all(CustomerStatus.choices))

    def filters(self) -> dict:
        """Keyword arguments for ``customer_list``; an invalid choice filters nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": (data.get("q") or "").strip(),
            "region": data.get("region", ""),
            "industry": data.get("industry", ""),
            "status": data.get("status", ""),
        }


class DateRangeMixin(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return cleaned


class InvoiceFilterForm(DateRangeMixin):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Invoice number, VAT invoice number or customer"),
                                      "type": "search", "autocomplete": "off"}),
    )
    state = forms.ChoiceField(
        label=_("Show"), required=False,
        choices=[("", _("All invoices")), ("open", _("Open only")), ("overdue", _("Overdue only"))],
    )

    def filters(self, *, today: date) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        state = data.get("state", "")
        return {
            "search": (data.get("q") or "").strip(),
            "open_only": state == "open",
            "overdue_on": today if state == "overdue" else None,
            "issued_from": data.get("date_from"),
            "issued_to": data.get("date_to"),
        }


class PaymentFilterForm(DateRangeMixin):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Receipt number, bank reference, payer or customer"),
                                      "type": "search", "autocomplete": "off"}),
    )
    method = forms.ChoiceField(label=_("Method"), required=False, choices=_choices_with_all(PaymentMethod.choices))
    unallocated = forms.BooleanField(label=_("Unallocated only"), required=False)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": (data.get("q") or "").strip(),
            "unallocated_only": bool(data.get("unallocated")),
            "received_from": data.get("date_from"),
            "received_to": data.get("date_to"),
            "method": data.get("method", ""),
        }


class StatementForm(DateRangeMixin):
    """The 对账单 period; both dates are needed, and the default is the current year to date."""

    date_from = forms.DateField(label=_("From"), widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), widget=DATE_INPUT)

    @staticmethod
    def initial_period(today: date) -> dict:
        return {"date_from": today.replace(month=1, day=1), "date_to": today}


class AmountForm(forms.Form):
    """An amount typed as people write it ("12,345.60") in a currency; ``cleaned_data["amount_minor"]`` is the int."""

    amount = AmountField(label=_("Amount"), currency=None)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY",
                               widget=forms.TextInput(attrs={"size": 4}))

    def clean_currency(self) -> str:
        try:
            return check_currency(self.cleaned_data["currency"])
        except MoneyError as exc:
            raise forms.ValidationError(_("Use a three-letter currency code such as CNY.")) from exc

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("amount") and "currency" in cleaned:
            try:
                cleaned["amount_minor"] = self.fields["amount"].to_minor(cleaned["amount"], cleaned["currency"])
            except forms.ValidationError as error:
                self.add_error("amount", error)
        return cleaned


class PaymentForm(ServiceErrorMixin, AmountForm):
    """Money received from one customer. The amount is typed as people write it ("12,345.60")."""

    field_order = ["received_date", "amount", "currency"]

    #: service argument -> form field, so a service's refusal lands beside the right input
    SERVICE_FIELDS = {"amount_minor": "amount", "date": "received_date"}

    received_date = forms.DateField(label=_("Received on"), widget=DATE_INPUT)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.BANK_TRANSFER)
    bank_reference = forms.CharField(label=_("Bank reference (流水号)"), max_length=100, required=False)
    payer_name = forms.CharField(label=_("Payer"), max_length=200, required=False)
    bill_number = forms.CharField(label=_("Bill number"), max_length=60, required=False)
    bill_maturity_date = forms.DateField(label=_("Bill matures"), required=False, widget=DATE_INPUT)
    auto_allocate = forms.BooleanField(
        label=_("Allocate automatically: an open invoice of exactly this amount, else the oldest"), required=False,
        initial=True,
    )
    contract = forms.ModelChoiceField(
        label=_("Deposit for contract"), queryset=Contract.objects.none(), required=False,
        help_text=_("The contract this money is the deposit for: its first invoice waits for the deposit."),
    )
    #: one key per rendered form, so a double click or a resubmitted page records the payment once
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, customer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if customer is not None and "contract" in self.fields:
            self.fields["contract"].queryset = (  # type: ignore[attr-defined]
                Contract.objects.filter(customer=customer)
                .exclude(status__in=[ContractStatus.COMPLETED, ContractStatus.TERMINATED, ContractStatus.REJECTED])
                .order_by("-pk"))

    @classmethod
    def initial_for(cls, customer) -> dict:
        return {"received_date": timezone.localdate(), "currency": customer.currency, "auto_allocate": True,
                "idempotency_key": uuid.uuid4().hex}

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "received_date": data["received_date"],
            "amount_minor": data["amount_minor"],
            "currency": data["currency"],
            "method": data["method"],
            "bank_reference": data["bank_reference"].strip(),
            "payer_name": data["payer_name"].strip(),
            "bill_number": data["bill_number"].strip(),
            "bill_maturity_date": data["bill_maturity_date"],
            "auto_allocate": data["auto_allocate"],
            "contract": data.get("contract"),
            "idempotency_key": f"web-payment-{data['idempotency_key']}",
        }
