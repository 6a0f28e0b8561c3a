"""Writes of payment-date prediction: train a model version, activate one, refresh the stored predictions; and
the backtest on this ledger or on the IBM sample (which writes nothing).

Training and refreshing the whole book take longer than a request may: pages, the API and the schedule start them
as jobs (``arms.prediction.jobs``); the CLI and the demo call them directly. The computation runs outside any
transaction; only the writes at its end are atomic (a model version with its audit event; each batch of
predictions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.attachments import attachment_store
from arms.common.errors import Conflict, NotFound, ValidationFailed
from arms.domain.prediction import FEATURES, Item, features, histories, predicted_dates
from arms.ledger.models import Invoice
from arms.prediction import learning
from arms.prediction.enums import Source
from arms.prediction.models import ModelVersion, PaymentPrediction, VersionStatus
from arms.prediction.samples import ibm_sample_path, read_ibm
from arms.prediction.selectors import customer_histories, history_items, open_items_to_predict

Progress = Callable[[int, int], None]

#: the default training window: the last two years of settlements
WINDOW_MONTHS = 24
MAX_WINDOW_MONTHS = 120
BATCH = 2000


def _no_progress(done: int, total: int) -> None:
    return None


def _check_months(value: int, *, field: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationFailed(_("Give a whole number of months between %(low)s and %(high)s.")
                               % {"low": low, "high": high}, field=field)


def _check_split(items: list[Item], *, cutoff: date | None, months: int) -> date:
    """The cut-off of a backtest, checked: inside the history, with enough to learn from before it and enough
    to test after it."""
    if not items:
        raise ValidationFailed(_("There is no settled history to learn from yet."), field="cutoff")
    first = min(item.issue_date for item in items)
    last = max(item.settled_on or item.issue_date for item in items)
    chosen = cutoff or learning.default_cutoff(items, months=months)
    if chosen is None or not first < chosen <= last:
        raise ValidationFailed(_("The cut-off must fall inside the settled history (%(first)s to %(last)s).")
                               % {"first": first.isoformat(), "last": last.isoformat()}, field="cutoff")
    train, test = learning.split(items, cutoff=chosen, months=months)
    if len(train) < learning.MIN_TRAIN_ROWS or len(test) < learning.MIN_TEST_ROWS:
        raise ValidationFailed(
            _("Too little settled history around the cut-off: %(train)s invoices settled before it (at least "
              "%(min_train)s needed) and %(test)s issued in the months after it (at least %(min_test)s).")
            % {"train": len(train), "min_train": learning.MIN_TRAIN_ROWS, "test": len(test),
               "min_test": learning.MIN_TEST_ROWS}, field="cutoff")
    return chosen


@dataclass(frozen=True)
class BacktestReport:
    source: str
    items: int
    result: learning.Backtest

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "items": self.items, **self.result.as_dict()}


def backtest_run(*, source: str = Source.DEMO, cutoff: date | None = None, months: int = learning.BACKTEST_MONTHS,
                 as_of: date | None = None, max_iter: int = learning.MAX_ITER,
                 sample: Path | None = None) -> BacktestReport:
    """The time-split backtest of the model against the two baselines, on this ledger's settled history
    (``demo``) or the IBM sample (``ibm``). Writes nothing."""
    if source not in Source.values:
        raise ValidationFailed(_("Unknown source: choose %(choices)s.") % {"choices": ", ".join(Source.values)},
                               field="source")
    _check_months(months, field="months", low=1, high=24)
    if source == Source.IBM:
        path = sample or ibm_sample_path()
        if path is None or not path.exists():
            raise NotFound(_("The IBM sample is not installed beside ARMS (shared/data)."), field="source")
        items = read_ibm(path)
        history = histories(items)
    else:
        as_of = as_of or timezone.localdate()
        items = history_items(as_of=as_of)
        history = customer_histories(as_of=as_of)
    chosen = _check_split(items, cutoff=cutoff, months=months)
    result = learning.backtest(items, history, cutoff=chosen, months=months, max_iter=max_iter)
    return BacktestReport(source=str(source), items=len(items), result=result)


def model_train(*, actor: Any, as_of: date | None = None, window_months: int = WINDOW_MONTHS,
                max_iter: int = learning.MAX_ITER, progress: Progress = _no_progress) -> ModelVersion:
    """Train a model on the settled history of the last ``window_months`` (backtest first, inside the window,
    then fit on all of it), store it and make it the active version."""
    _check_months(window_months, field="window_months", low=3, high=MAX_WINDOW_MONTHS)
    as_of = as_of or timezone.localdate()
    since = learning.add_months(as_of, -window_months)
    progress(0, 4)
    items = history_items(as_of=as_of, since=since)
    history = customer_histories(as_of=as_of)
    progress(1, 4)
    months = learning.BACKTEST_MONTHS
    try:
        cutoff = _check_split(items, cutoff=None, months=months)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="window_months") from exc
    test = learning.backtest(items, history, cutoff=cutoff, months=months, max_iter=max_iter)
    progress(2, 4)
    rows, targets = learning.training_rows(items[-learning.MAX_TRAIN_ROWS:], history)
    fitted = learning.fit(rows, targets, max_iter=max_iter)
    progress(3, 4)
    content, digest = learning.dumps(fitted)
    version = _version_record(actor=actor, items=items, rows=len(rows), metrics=test.as_dict(), content=content,
                              digest=digest, max_iter=max_iter)
    progress(4, 4)
    return version


@transaction.atomic
def _version_record(*, actor: Any, items: list[Item], rows: int, metrics: dict[str, Any], content: bytes,
                    digest: str, max_iter: int) -> ModelVersion:
    number = (ModelVersion.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    artifact = attachment_store(content=content, name=f"prediction-model-v{number}.pkl")
    before = _retire_active()
    settled = [item.settled_on for item in items if item.settled_on is not None]
    try:
        with transaction.atomic():
            version = ModelVersion.objects.create(
                version=number, status=VersionStatus.ACTIVE, algorithm=learning.ALGORITHM,
                window_start=min(settled), window_end=max(settled), rows=rows, features=list(FEATURES),
                metrics={**metrics, "max_iter": max_iter}, artifact=artifact, artifact_sha256=digest,
                trained_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError as exc:
        raise Conflict(_("Another model was trained at the same moment; try again.")) from exc
    audit_record(actor=actor, action=AuditAction.PREDICTION_MODEL_TRAINED, subject=version,
                 before={"active_version": before},
                 after={"version": number, "rows": rows, "window": [str(min(settled)), str(max(settled))],
                        "sha256": digest, "metrics": metrics})
    return version


def _retire_active() -> int | None:
    active = ModelVersion.objects.filter(status=VersionStatus.ACTIVE).first()
    if active is None:
        return None
    ModelVersion.objects.filter(pk=active.pk).update(status=VersionStatus.RETIRED)
    return active.version


@transaction.atomic
def model_activate(*, actor: Any, version: ModelVersion) -> ModelVersion:
    """Make ``version`` the one that predicts (the refresh that follows uses it)."""
    if version.status == VersionStatus.ACTIVE:
        raise Conflict(_("Version %(version)s is already the active model.") % {"version": version.version},
                       field="version_id")
    before = _retire_active()
    try:
        with transaction.atomic():
            ModelVersion.objects.filter(pk=version.pk).update(status=VersionStatus.ACTIVE)
    except IntegrityError as exc:
        raise Conflict(_("Another version was activated at the same moment; try again.")) from exc
    version.status = VersionStatus.ACTIVE
    audit_record(actor=actor, action=AuditAction.PREDICTION_MODEL_ACTIVATED, subject=version,
                 before={"active_version": before}, after={"active_version": version.version})
    return version


def model_load(version: ModelVersion) -> learning.Fitted:
    """The fitted model of ``version`` from the attachment store, its SHA-256 checked first."""
    content = bytes(version.artifact.content)
    try:
        return learning.loads(content, sha256=version.artifact_sha256)
    except learning.ArtifactMismatch as exc:
        raise Conflict(_("The stored model of version %(version)s does not match its checksum; train again.")
                       % {"version": version.version}) from exc


@dataclass(frozen=True)
class RefreshResult:
    version: int
    predicted: int
    removed: int


def predictions_refresh(*, actor: Any, as_of: date | None = None,
                        progress: Progress = _no_progress) -> RefreshResult:
    """Predict every open item of ``as_of`` with the active model and store the dates (upserted in batches);
    predictions of invoices no longer open are deleted."""
    as_of = as_of or timezone.localdate()
    version = ModelVersion.objects.filter(status=VersionStatus.ACTIVE).select_related("artifact").first()
    if version is None:
        raise NotFound(_("No model has been trained yet."), field="version_id")
    fitted = model_load(version)
    history = customer_histories(as_of=as_of)
    reference = as_of + timedelta(days=1)  # what was settled on as_of is known
    total = Invoice.objects.filter(amount_open_minor__gt=0).count()
    done, batch = 0, []
    for item in open_items_to_predict(as_of=as_of):
        batch.append(item)
        if len(batch) >= BATCH:
            done += _store_batch(batch, fitted=fitted, history=history, version=version, as_of=as_of,
                                 reference=reference)
            batch = []
            progress(done, max(total, done))
    if batch:
        done += _store_batch(batch, fitted=fitted, history=history, version=version, as_of=as_of,
                             reference=reference)
    removed = _stale_delete()
    progress(done, done)
    _refresh_record(actor=actor, version=version, predicted=done, removed=removed, as_of=as_of)
    return RefreshResult(version=version.version, predicted=done, removed=removed)


@transaction.atomic
def _store_batch(batch: list[Item], *, fitted: learning.Fitted, history: dict[str | int, Any],
                 version: ModelVersion, as_of: date, reference: date) -> int:
    rows = [features(item, history.get(item.customer), reference=reference) for item in batch]
    made = []
    for item, (low, mid, high) in zip(batch, learning.predict(fitted, rows), strict=True):
        p10, p50, p90 = predicted_dates(due_date=item.due_date, as_of=as_of, p10_days=low, p50_days=mid,
                                        p90_days=high)
        made.append(PaymentPrediction(invoice_id=item.key, model_version=version, p10=p10, p50=p50, p90=p90,
                                      predicted_on=as_of))
    PaymentPrediction.objects.bulk_create(made, batch_size=BATCH, update_conflicts=True, unique_fields=["invoice"],
                                          update_fields=["model_version", "p10", "p50", "p90", "predicted_on"])
    return len(made)


@transaction.atomic
def _stale_delete() -> int:
    deleted, _detail = PaymentPrediction.objects.filter(invoice__amount_open_minor=0).delete()
    return deleted


@transaction.atomic
def _refresh_record(*, actor: Any, version: ModelVersion, predicted: int, removed: int, as_of: date) -> None:
    audit_record(actor=actor, action=AuditAction.PREDICTIONS_REFRESHED, subject=version,
                 after={"version": version.version, "as_of": as_of.isoformat(), "predicted": predicted,
                        "removed": removed})
