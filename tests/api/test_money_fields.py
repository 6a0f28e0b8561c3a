"""One money-field helper (issue 11): every ``resolve_*`` amount of a schema is ``formatted_money``, and the JSON is
what it was — each formatted amount is its ``*_minor`` beside it, written as the pages write it."""

from __future__ import annotations

import inspect

from arms.common.api_types import formatted_money, money_text


def _pairs(node, currency=None):
    """(name, minor, text, currency) for every ``x_minor`` with its ``x`` in the JSON, currency from the nearest."""
    if isinstance(node, list):
        for item in node:
            yield from _pairs(item, currency)
    elif isinstance(node, dict):
        currency = node.get("currency", currency)
        for key, value in node.items():
            if key.endswith("_minor") and key[:-6] in node and isinstance(value, int):
                yield key[:-6], value, node[key[:-6]], currency
            elif isinstance(value, (dict, list)):
                yield from _pairs(value, currency)


def test_the_formatted_amounts_are_unchanged(admin_api, books):
    paths = ["/invoices", f"/invoices/{books['invoice']}", "/payments", f"/payments/{books['payment']}",
             "/allocations", "/credit-notes", f"/customers/{books['customer']}/open-items",
             f"/customers/{books['customer']}/balances",
             f"/customers/{books['customer']}/statement?from=2026-01-01&to=2026-12-31",
             f"/contracts/{books['contract']}"]
    seen = []
    for path in paths:
        response = admin_api.get(path)
        assert response.status_code == 200, (path, response.content)
        for name, minor, text, currency in _pairs(response.json()):
            assert text == money_text(minor, currency), (path, name)
            seen.append(name)
    assert {"gross", "net", "tax", "amount_open", "amount", "amount_unallocated", "debit", "credit",
            "closing"} <= set(seen)
    assert money_text(113_000, "CNY") == "1,130.00" and money_text(-5, "JPY") == "-5"


def test_formatted_money_reads_attributes_dicts_and_relations():
    class Invoice:
        currency = "CNY"

    class Allocation:
        amount_minor, invoice = 123_456, Invoice()

    assert formatted_money("amount_minor", "invoice.currency").__func__(Allocation()) == "1,234.56"
    assert formatted_money("gross_minor").__func__({"gross_minor": 100, "currency": "USD"}) == "1.00"
    assert formatted_money("limit_minor").__func__({"limit_minor": None, "currency": "CNY"}) is None


def test_no_schema_formats_money_in_a_resolver_of_its_own():
    from ninja import Schema

    import arms.api  # noqa: F401  (every app's schemas)

    def schemas(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from schemas(sub)

    own = [f"{s.__module__}.{s.__name__}.{name}" for s in schemas(Schema) if s.__module__.startswith("arms.")
           for name, value in vars(s).items() if name.startswith("resolve_") and isinstance(value, staticmethod)
           and value.__func__.__qualname__ != "formatted_money.<locals>.resolve"
           and "return money_text(obj" in inspect.getsource(value.__func__)]
    assert own == []
