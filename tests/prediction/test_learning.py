"""The model and its backtest on plain items (no database): features see nothing later than their day, and on a
history with a known pattern the model beats both naive baselines."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from arms.domain.prediction import FEATURES, History, Item, features, histories, history_quantiles, predicted_dates
from arms.prediction import learning

START = date(2024, 1, 1)


def pattern_items() -> list[Item]:
    """Twelve customers over two years, an invoice every nine days each: large invoices (over 50,000 yuan) are
    paid 20 days late, small ones on the due date. A customer's average is about 10 days late, which is wrong
    for every invoice; the amount tells the model the answer."""
    items, key = [], 0
    for customer in range(12):
        for n in range(80):
            issued = START + timedelta(days=9 * n + customer)
            large = (n + customer) % 2 == 0
            due = issued + timedelta(days=30)
            items.append(Item(key=key, customer=customer, issue_date=issued, due_date=due,
                              amount_base_minor=(8_000_000 if large else 100_000) + 137 * n,
                              settled_on=due + timedelta(days=20 if large else 0)))
            key += 1
    return sorted(items, key=lambda item: (item.settled_on, item.key))


def test_features_use_only_what_was_settled_before_the_day():
    history = histories([
        Item(1, "c", date(2025, 1, 1), date(2025, 1, 31), 100, settled_on=date(2025, 2, 10)),   # 10 late
        Item(2, "c", date(2025, 2, 1), date(2025, 3, 3), 100, settled_on=date(2025, 3, 3)),     # 0
        Item(3, "c", date(2025, 3, 1), date(2025, 3, 31), 100, settled_on=date(2025, 5, 30)),   # 60, later
    ], disputes=[("c", date(2025, 2, 20)), ("c", date(2025, 6, 1))], promises=[("c", date(2025, 4, 1))])["c"]
    item = Item(9, "c", date(2025, 4, 15), date(2025, 5, 15), 1_000_000,
                disputed_on=date(2025, 6, 1))
    row = dict(zip(FEATURES, features(item, history, reference=date(2025, 4, 15)), strict=True))

    assert row["past_settled"] == 2                      # the 60-days-late settlement of 30 May is not known yet
    assert row["mean_days_late"] == 5 and row["median_days_late"] == 5 and row["last3_days_late"] == 5
    assert row["disputed"] == 0                          # the dispute is raised after the day
    assert row["customer_disputes_year"] == 1 and row["promises_year"] == 1
    assert row["terms_days"] == 30 and row["issue_month"] == 4 and row["due_weekday"] == date(2025, 5, 15).weekday()
    assert row["log_amount"] == pytest.approx(math.log1p(10_000))
    later = dict(zip(FEATURES, features(item, history, reference=date(2025, 6, 2)), strict=True))
    assert later["past_settled"] == 3 and later["disputed"] == 1 and later["trend_days_late"] == 0
    assert features(item, None, reference=date(2025, 4, 15))[:5] == [0.0, 0.0, 0.0, 0.0, 0.0]


def test_model_beats_both_baselines_on_a_known_pattern():
    items = pattern_items()
    result = learning.backtest(items, histories(items), cutoff=date(2025, 6, 1), months=3, max_iter=60)

    model, average, due = (result.score_of(m) for m in ("model", "customer_average", "due_date"))
    assert result.test_rows > 100 and result.train_rows > 500
    assert model.mae_days < 2 and model.within_7 > 0.95
    assert average.mae_days == pytest.approx(10, abs=1.5) and due.mae_days == pytest.approx(10, abs=1.5)
    assert model.mae_days < average.mae_days and model.mae_days < due.mae_days


def test_a_stored_model_loads_only_with_its_checksum():
    items = pattern_items()[:300]
    rows, targets = learning.training_rows(items, histories(items))
    content, digest = learning.dumps(learning.fit(rows, targets, max_iter=10))

    assert len(learning.predict(learning.loads(content, sha256=digest), rows[:3])) == 3
    with pytest.raises(learning.ArtifactMismatch):
        learning.loads(content + b"x", sha256=digest)


def test_quantiles_and_dates_are_ordered_and_never_before_the_day():
    assert history_quantiles([30, 0, 10, 20]) == (3, 15, 27)
    assert history_quantiles([5]) == (5, 5, 5)
    as_of = date(2026, 3, 10)
    assert predicted_dates(due_date=date(2026, 3, 1), as_of=as_of, p10_days=12, p50_days=-3, p90_days=30) == (
        as_of, date(2026, 3, 13), date(2026, 3, 31))
    assert History().mean_before(as_of) is None
