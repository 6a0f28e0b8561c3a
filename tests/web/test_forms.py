"""The form pieces every app shares (arms.web.forms): one way to show a service's refusal, one amount field.

The source-scanning tests fail when an app grows its own copy again."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django import forms

from arms.common.api_types import MAX_MINOR
from arms.common.errors import ValidationFailed
from arms.web.forms import AmountField, AmountForm, ServiceErrorMixin

SRC = Path(__file__).resolve().parents[2] / "src" / "arms"


def _classes() -> list[tuple[str, ast.ClassDef]]:
    """Every class in src/arms (migrations left out), with the file it is in."""
    found = []
    for path in SRC.rglob("*.py"):
        if "migrations" not in path.parts:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [(str(path.relative_to(SRC)), node) for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    return found


def _files_with_classes_defining(method: str) -> list[str]:
    return sorted(path for path, cls in _classes()
                  if any(isinstance(item, ast.FunctionDef) and item.name == method for item in cls.body))


def _files_with_classes_named(pattern: str) -> list[str]:
    return sorted(path for path, cls in _classes() if pattern in cls.name)


def test_one_service_error_mixin():
    assert _files_with_classes_defining("add_service_error") == ["web/forms.py"]
    assert _files_with_classes_named("ServiceError") == ["web/forms.py"]


def test_one_amount_field():
    assert _files_with_classes_named("AmountField") == ["web/forms.py"]


class _Form(ServiceErrorMixin, forms.Form):
    SERVICE_FIELDS = {"amount_minor": "amount"}

    amount = AmountField(label="Amount")
    floor = AmountField(label="Floor", required=False, min_minor=0)
    yen = AmountField(label="Yen", required=False, currency="JPY")


@pytest.mark.parametrize(("text", "minor"), [
    ("1,234.56", 123456), ("¥1234.5", 123450), ("0", 0), ("-12.30", -1230), ("10000000000000", 10**15),
])
def test_amount_field_gives_integer_minor_units(text, minor):
    form = _Form({"amount": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == minor
    assert isinstance(form.cleaned_data["amount"], int)
    assert form.cleaned_data["floor"] is None


def test_amount_field_uses_the_currency_it_is_given():
    form = _Form({"amount": "1", "yen": "1,500"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["yen"] == 1500
    assert not _Form({"amount": "1", "yen": "1.5"}).is_valid()


@pytest.mark.parametrize(("data", "field"), [
    ({"amount": "12.345"}, "amount"),            # three decimals for CNY
    ({"amount": "twelve"}, "amount"),
    ({"amount": "1e3"}, "amount"),               # no floats in disguise
    ({"amount": "10000000000000.01"}, "amount"),  # over the documented maximum
    ({"amount": "-10000000000000.01"}, "amount"),
    ({"amount": "1", "floor": "-0.01"}, "floor"),
    ({"amount": "1" * 31}, "amount"),             # longer than the field allows
])
def test_amount_field_refuses_what_is_not_a_bounded_amount(data, field):
    form = _Form(data)
    assert not form.is_valid()
    assert field in form.errors


def test_amount_form_parses_in_the_currency_typed_beside_it():
    form = AmountForm({"amount": "1,500", "currency": "JPY"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount_minor"] == 1500
    form = AmountForm({"amount": "12.345", "currency": "CNY"})
    assert not form.is_valid() and "amount" in form.errors
    form = AmountForm({"amount": str(MAX_MINOR), "currency": "CNY"})
    assert not form.is_valid() and "amount" in form.errors


def test_service_error_lands_beside_the_field_it_names():
    form = _Form({"amount": "1"})
    assert form.is_valid()
    form.add_service_error(ValidationFailed("too much", field="amount_minor"))
    assert form.errors["amount"] == ["too much"]


def test_service_error_without_a_matching_field_goes_above_the_form():
    form = _Form({"amount": "1"})
    assert form.is_valid()
    form.add_service_error(ValidationFailed("no such thing", field="customer_id"))
    form.add_service_error(ValidationFailed("nothing named"))
    assert form.non_field_errors() == ["no such thing", "nothing named"]


def test_run_service_calls_the_service_with_the_cleaned_data_and_keeps_its_result():
    form = _Form({"amount": "1,000"})
    assert form.run_service(lambda data: ("saved", data["amount"]))
    assert form.result == ("saved", 100000)


def test_run_service_does_not_call_the_service_with_invalid_input():
    called = []
    form = _Form({"amount": "abc"})
    assert not form.run_service(called.append)
    assert called == [] and "amount" in form.errors


def test_run_service_shows_a_refusal_beside_its_field():
    def refuse(data):
        raise ValidationFailed("over the limit", field="amount_minor")

    form = _Form({"amount": "1"})
    assert not form.run_service(refuse)
    assert form.errors["amount"] == ["over the limit"] and form.result is None
