from __future__ import annotations

from datetime import timedelta

import pytest

from tests import factories


@pytest.fixture
def people(db, company):
    """The requester (a collector), the three signers, an executive, a second finance manager, a clerk."""
    return {
        "collector": factories.user("col", role="collector"),
        "finance": factories.user("fm", role="finance_manager"),
        "finance2": factories.user("fm2", role="finance_manager"),
        "legal": factories.user("lg", role="legal"),
        "auditor": factories.user("au", role="auditor"),
        "executive": factories.user("ex", role="executive"),
        "clerk": factories.user("fc", role="finance_clerk"),
    }


@pytest.fixture
def debtor(people, today):
    """A customer with two invoices issued 400 and 300 days ago: 113,000.00 and 56,500.00 open."""
    customer = factories.customer("D1", name="破产债务人有限公司")
    first = factories.invoice(customer, issued=today - timedelta(days=400), net=10_000_000, tax=1_300_000)
    second = factories.invoice(customer, issued=today - timedelta(days=300), net=5_000_000, tax=650_000)
    return {"customer": customer, "first": first, "second": second}
