"""Training a model version on the ledger's settled history, refreshing the predictions of the open items, and
reading them back through the published outlook."""

from __future__ import annotations

import pytest

from arms.audit.models import AuditEvent
from arms.common.errors import ArmsError, ValidationFailed
from arms.ledger.balances import open_items_as_of
from arms.prediction import services
from arms.prediction.models import ModelVersion, PaymentPrediction
from arms.prediction.selectors import open_item_outlook, payment_outlook
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_train_stores_a_checked_model_and_predictions_replace_the_baseline(book, today):
    _customers, open_items = book
    manager = f.user(role="finance_manager")

    version = services.model_train(actor=manager, max_iter=20)
    refreshed = services.predictions_refresh(actor=manager)

    assert version.version == 1 and version.status == "active" and version.rows > 20
    assert {s["method"] for s in version.metrics["scores"]} == {"model", "customer_average", "due_date"}
    assert version.artifact.sha256 == version.artifact_sha256
    assert refreshed.predicted == len(open_items) == PaymentPrediction.objects.count()
    rows = list(open_item_outlook(as_of=today))
    assert {row.method for row in rows} == {"model"}
    assert sum(r.open_minor for r in rows) == sum(open_items_as_of(today).values_list("open_as_of", flat=True))
    for row in rows:
        assert today <= row.p10 <= row.p50 <= row.p90
    shown = payment_outlook(invoice_ids=[open_items[0].pk])
    assert shown[open_items[0].pk]["method"] == "model" and shown[open_items[0].pk]["mae_days"] is not None
    assert list(AuditEvent.objects.filter(action__startswith="predict").values_list("action", flat=True)
                .order_by("pk")) == ["prediction_model_trained", "predictions_refreshed"]

    second = services.model_train(actor=manager, max_iter=20)
    assert second.version == 2
    assert list(ModelVersion.objects.order_by("version").values_list("status", flat=True)) == ["retired", "active"]
    services.model_activate(actor=manager, version=ModelVersion.objects.get(version=1))
    assert ModelVersion.objects.get(status="active").version == 1
    with pytest.raises(ArmsError):
        services.model_activate(actor=manager, version=ModelVersion.objects.get(version=1))


def test_a_tampered_model_is_not_loaded(book):
    version = services.model_train(actor=None, max_iter=10)
    ModelVersion.objects.filter(pk=version.pk).update(artifact_sha256="0" * 64)
    with pytest.raises(ArmsError) as refused:
        services.predictions_refresh(actor=None)
    assert "checksum" in refused.value.message or "校验" in refused.value.message
    assert PaymentPrediction.objects.count() == 0


def test_too_little_history_is_refused_with_the_field_named(db):
    f.invoice(f.customer())
    with pytest.raises(ValidationFailed) as refused:
        services.model_train(actor=None, max_iter=10)
    assert refused.value.field == "window_months"
    with pytest.raises(ValidationFailed) as refused:
        services.model_train(actor=None, window_months="12")
    assert refused.value.field == "window_months"
    assert ModelVersion.objects.count() == 0 and not AuditEvent.objects.filter(action__startswith="predict").exists()
