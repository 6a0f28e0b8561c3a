"""Small-balance tests reuse dunning's ladder, people and PDF stub (the stages are the ones the issue names), and
share finance people and a book with two residues."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from arms.ledger.services import exchange_rate_set
from tests import factories
from tests.dunning.conftest import _media, _pdf_stub, people, policy  # noqa: F401
from tests.small_balances.helpers import ISSUED, pay


@pytest.fixture
def finance(db):
    return {"clerk": factories.user("fc-sb", role="finance_clerk"),
            "manager": factories.user("fm-sb", role="finance_manager"),
            "manager2": factories.user("fm2-sb", role="finance_manager"),
            "collector": factories.user("col-sb", role="collector")}


@pytest.fixture
def residues_of_two(db):
    """CNY 18.00 left on one invoice, USD 31.00 on another (at 7.10), and a small unpaid invoice (not a residue)."""
    exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1"))
    customer = factories.customer()
    cny = factories.invoice(customer, net=1_000_00, tax=0, issued=ISSUED)
    pay(customer, cny, 982_00)
    usd = factories.invoice(customer, net=1_000_00, tax=0, issued=ISSUED, currency="USD")
    pay(customer, usd, 969_00)
    factories.invoice(customer, net=20_00, tax=0, issued=ISSUED)
    return customer, cny, usd
