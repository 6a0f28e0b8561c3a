"""Payment-date prediction in a real browser: the finance clerk opens an open invoice and reads its predicted
payment date, the P90 and the method beside it; then the prediction page shows the model in use and its error."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.common.attachments import attachment_store
from arms.prediction.models import ModelVersion, PaymentPrediction
from tests import factories
from tests.web.browser import chromium_page, expect, live_server_requests_finish
from tests.web.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


@pytest.fixture
def page(flushable_ledger, live_server, book):
    with chromium_page() as page:
        yield page
    live_server_requests_finish()


def test_the_invoice_page_shows_the_predicted_payment_date(page, live_server, book):
    invoice = factories.invoice(book.huadong, number="INV-HD-P1", issued=book.today - timedelta(days=10),
                                actor=book.clerk)
    artifact = attachment_store(content=b"browser model", name="model.pkl")
    version = ModelVersion.objects.create(
        version=1, window_start=book.today - timedelta(days=400), window_end=book.today - timedelta(days=3),
        rows=500, features=["mean_days_late"], artifact=artifact, artifact_sha256=artifact.sha256,
        metrics={"cutoff": (book.today - timedelta(days=180)).isoformat(), "test_end": (book.today - timedelta(
            days=90)).isoformat(), "train_rows": 400, "test_rows": 80, "coverage_p10_p90": 0.8, "scores": [
            {"method": "model", "mae_days": 5.25, "within_7": 0.75},
            {"method": "customer_average", "mae_days": 7.5, "within_7": 0.6},
            {"method": "due_date", "mae_days": 12.0, "within_7": 0.4}]})
    p50, p90 = invoice.due_date + timedelta(days=12), invoice.due_date + timedelta(days=40)
    PaymentPrediction.objects.create(invoice=invoice, model_version=version, p10=invoice.due_date, p50=p50, p90=p90,
                                     predicted_on=book.today)

    log_in(page, live_server, "clerk")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/invoices/{invoice.pk}/")
    outlook = page.locator("#invoice-outlook")
    expect(outlook).to_be_visible()
    expect(outlook).to_contain_text(p50.isoformat())
    expect(outlook).to_contain_text(p90.isoformat())
    expect(outlook.locator("[data-method='model']")).to_have_count(1)

    page.goto(f"{live_server.url}/prediction/")
    expect(page.locator("#score-table tr[data-method='model']")).to_contain_text("5.25")
    expect(page.locator("#chart-prediction-error")).to_be_visible()
