"""The prediction pages: the model and its measured error, train now (a job), a version's page, activating it,
the open items with their dates; and the predicted date on the invoice page, the case page and the worklist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from arms.common.models import Job
from arms.prediction import services
from arms.prediction.models import ModelVersion
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_home_shows_the_active_model_against_the_baselines_and_trains_in_the_background(client, book):
    manager = f.user(role="finance_manager")
    version = services.model_train(actor=manager, max_iter=10)
    services.predictions_refresh(actor=manager)
    client.force_login(manager)

    page = client.get(reverse("prediction:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="score-table"' in html and 'data-method="customer_average"' in html and "chart-prediction-error" in html
    assert f'data-version="{version.version}"' in html
    export = client.get(reverse("prediction:home") + "?export=xlsx")
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]

    posted = client.post(reverse("prediction:train"), {"window_months": "12"})
    assert posted.status_code == 302
    assert Job.objects.filter(kind="prediction.train").count() == 1
    refused = client.post(reverse("prediction:train"), {"window_months": "1"})
    assert refused.status_code == 400 and Job.objects.filter(kind="prediction.train").count() == 1


def test_version_page_and_activation(client, book):
    manager = f.user(role="credit_manager")
    first = services.model_train(actor=manager, max_iter=10)
    services.model_train(actor=manager, max_iter=10)
    client.force_login(manager)

    page = client.get(reverse("prediction:version", args=[first.pk]))
    assert page.status_code == 200 and 'id="activate-button"' in page.content.decode()
    assert client.post(reverse("prediction:activate", args=[first.pk])).status_code == 302
    assert ModelVersion.objects.get(status="active").pk == first.pk
    assert Job.objects.filter(kind="prediction.refresh").count() == 1
    assert client.get(reverse("prediction:version", args=[99999])).status_code == 404


def test_open_items_page_and_pages_that_show_the_predicted_date(client, book, today):
    customers, open_items = book
    manager = f.user(role="finance_manager")
    services.model_train(actor=manager, max_iter=10)
    services.predictions_refresh(actor=manager)
    client.force_login(manager)

    items = client.get(reverse("prediction:items")).content.decode()
    assert all(f'data-invoice="{invoice.number}"' in items for invoice in open_items)
    assert items.count('data-method="model"') == len(open_items)
    export = client.get(reverse("prediction:items") + "?export=csv")
    assert export.status_code == 200 and open_items[0].number in b"".join(export.streaming_content).decode("utf-8-sig")

    invoice_page = client.get(reverse("web:invoice_detail", args=[open_items[0].pk])).content.decode()
    assert 'id="invoice-outlook"' in invoice_page and 'data-method="model"' in invoice_page
    collector = f.user(role="collector")
    client.force_login(collector)
    case_page = client.get(reverse("cases:case", args=[customers[0].pk])).content.decode()
    assert 'data-method="model"' in case_page
    worklist = client.get(reverse("cases:worklist") + "?collector=").content.decode()
    assert 'data-method="model"' in worklist


def test_who_may_see_and_train(client, book):
    sales = f.user(role="sales")
    client.force_login(sales)
    assert client.get(reverse("prediction:home")).status_code == 403
    clerk = f.user(role="finance_clerk")
    client.force_login(clerk)
    assert client.get(reverse("prediction:home")).status_code == 200
    assert client.post(reverse("prediction:train"), {"window_months": "12"}).status_code == 403
    assert not Job.objects.exists()
