"""The pages: finance opens a month, the salesperson answers on their page, finance signs off; exports."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from arms.salesrecon.models import ReconciliationDifference, SalesReconciliation

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_month_through_the_pages(book, month):
    finance, ann, bob = _client(book["finance"]), _client(book["ann"]), _client(book["bob"])
    response = finance.post(reverse("salesrecon:list"), {"month": f"{month[0]:%Y-%m}"})
    assert response.status_code == 302, response.content.decode()[:2000]
    rec = SalesReconciliation.objects.get(salesperson=book["ann"])

    page = finance.get(reverse("salesrecon:list"))
    assert page.status_code == 200 and f'data-reconciliation="{rec.pk}"' in page.content.decode()
    assert 'id="open-month-form"' in page.content.decode()
    own = ann.get(reverse("salesrecon:list")).content.decode()
    assert f'data-reconciliation="{rec.pk}"' in own and 'id="open-month-form"' not in own
    assert bob.get(reverse("salesrecon:detail", args=[rec.pk])).status_code == 404

    detail = ann.get(reverse("salesrecon:detail", args=[rec.pk])).content.decode()
    assert 'id="salesrecon-answer-form"' in detail and f'data-customer="{book["a1"].pk}"' in detail

    # a row with a customer but no amount is refused beside the row, nothing written
    response = ann.post(reverse("salesrecon:answer", args=[rec.pk]),
                        {"answer": "differences", "customer_0": book["a1"].pk, "amount_0": ""})
    assert response.status_code == 400 and ReconciliationDifference.objects.count() == 0
    response = ann.post(reverse("salesrecon:answer", args=[rec.pk]),
                        {"answer": "differences", "customer_0": book["a1"].pk, "amount_0": "1,000.00",
                         "note_0": "credit note promised"})
    assert response.status_code == 302
    diff = ReconciliationDifference.objects.get()
    assert (diff.sales_minor, diff.ledger_minor) == (100_000, 113_000)

    response = finance.post(reverse("salesrecon:difference_resolve", args=[diff.pk]), {"resolution": "posted CN"})
    assert response.status_code == 302
    response = finance.post(reverse("salesrecon:sign_off", args=[rec.pk]), {"note": ""})
    rec.refresh_from_db()
    assert rec.status == "signed_off"
    # the salesperson's sign-off button is never shown, and posting it is refused
    assert ann.post(reverse("salesrecon:sign_off", args=[rec.pk]), {}).status_code == 403


def _body(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_exports_hold_every_row(book, month):
    finance = _client(book["finance"])
    finance.post(reverse("salesrecon:list"), {"month": f"{month[0]:%Y-%m}"})
    rec = SalesReconciliation.objects.get(salesperson=book["ann"])
    csv = _body(finance.get(reverse("salesrecon:list"), {"export": "csv"}))
    assert len(csv.strip().splitlines()) == 1 + 2
    csv = _body(finance.get(reverse("salesrecon:detail", args=[rec.pk]), {"export": "csv"}))
    assert len(csv.strip().splitlines()) == 1 + 2 and "1130.00" in csv
