"""The portal's exports (statement, invoices, payments) write what a customer typed as text, never a formula: a
contact's own download is as safe as a staff export (the one export helper escapes it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from arms.customers.models import Customer
from arms.customers.portal_access import portal_access_issue
from tests import factories
from tests.web.test_lists import EVIL, csv_rows, xlsx_rows


@pytest.fixture
def evil_portal(client, contact, customer):
    today = timezone.localdate()
    Customer.objects.filter(pk=customer.pk).update(name=EVIL[0])  # on every row of every export
    for n, text in enumerate(EVIL):
        factories.invoice(customer, issued=today - timedelta(days=10 + n), number=f"INV-E{n}")
        factories.payment(customer, received=today - timedelta(days=n), amount=10_000 + n, payer_name=text,
                          number=f"RCV-E{n}")
    _access, raw = portal_access_issue(contact=contact, actor=None)
    assert client.get(f"/portal/enter/{raw}/").status_code == 302
    return client, today


@pytest.mark.parametrize(("path", "extra"), [
    ("/portal/invoices/", {"all": "1"}),
    ("/portal/payments/", {}),
    ("/portal/statement/", "period"),
])
def test_every_portal_export_writes_formula_like_text_as_text(evil_portal, path, extra):
    client, today = evil_portal
    params = ({"date_from": (today - timedelta(days=60)).isoformat(), "date_to": today.isoformat()}
              if extra == "period" else extra)
    csv_text = "\n".join(",".join(row) for row in csv_rows(client.get(path, {**params, "export": "csv"})))
    cells = [cell for row in xlsx_rows(client.get(path, {**params, "export": "xlsx"})) for cell in row]
    found = [evil for evil in EVIL if any(cell.value == evil for cell in cells)]
    assert found, f"{path}: the export holds none of the texts the customer typed"
    for cell in cells:
        if isinstance(cell.value, str) and cell.value in EVIL:
            assert cell.data_type == "s", (path, cell.value)
    for evil in found:
        assert "'" + evil in csv_text, (path, evil)
