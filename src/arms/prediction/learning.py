"""The model and its honest test, in plain Python with scikit-learn (no Django): rows from items, fitting three
quantile regressions of days late (P10, P50, P90), predicting, pickling with a checked SHA-256, and the
time-split backtest against the two naive baselines.

The estimator is scikit-learn's ``HistGradientBoostingRegressor`` with quantile loss, one per quantile, with a
fixed ``random_state``: the same history gives the same model. The target is days late (payment − due date).

The backtest trains on the invoices settled before the cut-off (features as of each invoice's issue date) and
predicts the invoices issued in the ``months`` after it (features as of their issue date too: what was known
when they were issued), against (1) the due date (0 days late) and (2) the customer's own average days late
known at issue. It reports the mean absolute error in days and the share within ±7 days of the actual
settlement, and for the model how often the actual fell between P10 and P90. Only test invoices that were
settled by the end of the data count (an invoice still open has no answer yet).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from typing import Any

from arms.domain.prediction import (
    FEATURES,
    History,
    Item,
    MethodScore,
    features,
    score,
)

ALGORITHM = "HistGradientBoostingRegressor"
QUANTILES = {"p10": 0.1, "p50": 0.5, "p90": 0.9}
#: the default size of a model: small enough to train the demo in seconds, enough for a company's history
MAX_ITER = 100
#: the most recent settled invoices a training uses (a bigger book is sampled by recency)
MAX_TRAIN_ROWS = 60_000
BACKTEST_MONTHS = 3
MIN_TRAIN_ROWS = 20
MIN_TEST_ROWS = 5

Progress = Callable[[int, int], None]


class ArtifactMismatch(Exception):
    """The stored model's bytes do not have the SHA-256 recorded with them: they are not loaded."""


@dataclass
class Fitted:
    estimators: dict[str, Any]
    features: tuple[str, ...] = FEATURES


def training_rows(items: Sequence[Item], history: dict[str | int, History]) -> tuple[list[list[float]], list[int]]:
    """Rows (features as of the issue date) and targets (days late) of the settled items."""
    rows, targets = [], []
    for item in items:
        if item.settled_on is None:
            continue
        rows.append(features(item, history.get(item.customer), reference=item.issue_date))
        targets.append(item.days_late or 0)
    return rows, targets


def fit(rows: list[list[float]], targets: list[int], *, max_iter: int = MAX_ITER) -> Fitted:
    # heavy, and untyped: loaded when a model is trained
    regressor: Any = import_module("sklearn.ensemble").HistGradientBoostingRegressor
    min_leaf = max(2, min(20, len(rows) // 20))
    estimators = {}
    with single_thread():
        for name, q in QUANTILES.items():
            estimator = regressor(loss="quantile", quantile=q, max_iter=max_iter, min_samples_leaf=min_leaf,
                                  random_state=0)
            estimator.fit(rows, targets)
            estimators[name] = estimator
    return Fitted(estimators)


def predict(fitted: Fitted, rows: list[list[float]]) -> list[tuple[float, float, float]]:
    """P10, P50, P90 days late of each row, in order (quantile regressions may cross; they are sorted)."""
    if not rows:
        return []
    with single_thread():
        columns = [fitted.estimators[name].predict(rows) for name in QUANTILES]
    result: list[tuple[float, float, float]] = []
    for low, mid, high in zip(*columns, strict=True):
        a, b, c = sorted((float(low), float(mid), float(high)))
        result.append((a, b, c))
    return result


def dumps(fitted: Fitted) -> tuple[bytes, str]:
    """The pickled model and its SHA-256."""
    content = pickle.dumps({"features": list(fitted.features), "estimators": fitted.estimators},
                           protocol=pickle.HIGHEST_PROTOCOL)
    return content, hashlib.sha256(content).hexdigest()


def loads(content: bytes, *, sha256: str) -> Fitted:
    """The model from bytes ARMS stored, after checking they are the bytes it recorded."""
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ArtifactMismatch(sha256)
    payload = pickle.loads(content)
    return Fitted(payload["estimators"], tuple(payload["features"]))


# --- the backtest ------------------------------------------------------------------------------------------------

@dataclass
class Backtest:
    cutoff: date
    test_end: date
    train_rows: int
    test_rows: int
    scores: list[MethodScore] = field(default_factory=list)
    coverage_p10_p90: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"cutoff": self.cutoff.isoformat(), "test_end": self.test_end.isoformat(),
                "train_rows": self.train_rows, "test_rows": self.test_rows,
                "scores": [s.as_dict() for s in self.scores], "coverage_p10_p90": round(self.coverage_p10_p90, 4)}

    def score_of(self, method: str) -> MethodScore:
        return next(s for s in self.scores if s.method == method)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_cutoff(items: Sequence[Item], *, months: int = BACKTEST_MONTHS) -> date | None:
    """Twice the test window before the last settlement: the test invoices had time to be settled."""
    settled = [item.settled_on for item in items if item.settled_on is not None]
    return add_months(max(settled), -2 * months) if settled else None


def split(items: Sequence[Item], *, cutoff: date, months: int = BACKTEST_MONTHS) -> tuple[list[Item], list[Item]]:
    """The training items (settled before the cut-off) and the test items (issued in the months after it and
    settled by the end of the data)."""
    end = add_months(cutoff, months)
    train = [i for i in items if i.settled_on is not None and i.settled_on < cutoff]
    test = [i for i in items if i.settled_on is not None and cutoff <= i.issue_date < end]
    return train, test


def backtest(items: Sequence[Item], history: dict[str | int, History], *, cutoff: date,
             months: int = BACKTEST_MONTHS, max_iter: int = MAX_ITER) -> Backtest:
    train, test = split(items, cutoff=cutoff, months=months)
    rows, targets = training_rows(train[-MAX_TRAIN_ROWS:], history)
    fitted = fit(rows, targets, max_iter=max_iter)
    test_rows = [features(item, history.get(item.customer), reference=item.issue_date) for item in test]
    predicted = predict(fitted, test_rows)
    model_errors, average_errors, due_errors, covered = [], [], [], 0
    for item, (low, mid, high) in zip(test, predicted, strict=True):
        actual = item.days_late or 0
        known = history.get(item.customer)
        average = known.mean_before(item.issue_date) if known is not None else None
        model_errors.append(actual - round(mid))
        average_errors.append(actual - round(average or 0))
        due_errors.append(actual)
        covered += 1 if low - 0.5 <= actual <= high + 0.5 else 0
    return Backtest(cutoff=cutoff, test_end=add_months(cutoff, months) - timedelta(days=1), train_rows=len(rows),
                    test_rows=len(test), scores=[score("model", model_errors),
                                                 score("customer_average", average_errors),
                                                 score("due_date", due_errors)],
                    coverage_p10_p90=covered / len(test) if test else 0.0)


def single_thread() -> Any:
    """Fit and predict on one thread: on a shared server the OpenMP threads of gradient boosting fight each other
    and the other work (six times slower measured on two busy cores)."""
    return import_module("threadpoolctl").threadpool_limits(limits=1)
