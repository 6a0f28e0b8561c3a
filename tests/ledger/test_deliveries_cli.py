"""`arms invoices deliveries` lists undelivered and unconfirmed invoices; `arms invoices deliver` records one
delivery for several invoices (all or none)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from arms.ledger.models import InvoiceDelivery
from arms.ledger.services.deliveries import invoice_delivery_record
from tests import factories

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_list_undelivered_and_unconfirmed(customer, clerk, today):
    old = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=30), number="INV-C-1")
    sent = factories.invoice(customer, actor=clerk, issued=today - timedelta(days=20), number="INV-C-2")
    invoice_delivery_record(invoice=sent, actor=clerk, channel="email", delivered_on=today - timedelta(days=4))
    text = run("invoices", "deliveries", "--undelivered")
    assert "INV-C-1" in text and "INV-C-2" not in text and "30 days" in text
    payload = json.loads(run("invoices", "deliveries", "--unconfirmed", "--json"))
    assert payload["count"] == 1
    assert payload["invoices"][0]["invoice"] == "INV-C-2"
    assert (payload["invoices"][0]["channel"], payload["invoices"][0]["age_days"]) == ("email", 4)
    assert json.loads(run("invoices", "deliveries", "--customer", "NOPE", "--json"))["count"] == 0
    assert old.pk


def test_deliver_records_one_envelope(customer, clerk, today):
    for n in (1, 2):
        factories.invoice(customer, actor=clerk, issued=today - timedelta(days=10), number=f"INV-E-{n}")
    text = run("invoices", "deliver", "INV-E-1", "INV-E-2", "--channel", "post", "--carrier", "EMS",
               "--tracking-no", "EA1CN")
    assert "2 invoice(s)" in text
    assert InvoiceDelivery.objects.filter(tracking_no="EA1CN").count() == 2


def test_deliver_refuses_and_writes_nothing(customer, clerk):
    factories.invoice(customer, actor=clerk, number="INV-F-1")
    with pytest.raises(CommandError, match="tracking_no"):
        run("invoices", "deliver", "INV-F-1", "--channel", "post", "--carrier", "EMS")
    with pytest.raises(CommandError, match="INV-NOPE"):
        run("invoices", "deliver", "INV-F-1", "INV-NOPE", "--channel", "hand")
    assert not InvoiceDelivery.objects.exists()
