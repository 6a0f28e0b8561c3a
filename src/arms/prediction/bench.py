"""`arms bench --also prediction`: time payment-date prediction on the loaded ledger.

- ``train``: a model trained on the last two years of settled history (its backtest included), in seconds.
- ``refresh``: every open item predicted with it and stored (upserted in batches), in seconds.
- ``outlook``: ``open_item_outlook`` over the whole book (what the cash-in forecast reads), in milliseconds.
"""

from __future__ import annotations

import time
from datetime import date

from arms.bench.measure import summary_ms, timed
from arms.common.errors import ArmsError
from arms.prediction.selectors import open_item_outlook
from arms.prediction.services import model_train, predictions_refresh


def bench_measure(*, today: date, seed: int, repeat: int) -> dict:
    result: dict = {}
    started = time.perf_counter()
    try:
        version = model_train(actor=None, as_of=today)
    except ArmsError as refused:  # a book without enough settled history: the outlook falls back
        result["train_refused"] = refused.message
    else:
        result.update(training_rows=version.rows, train_seconds=round(time.perf_counter() - started, 3),
                      metrics=version.metrics)
        started = time.perf_counter()
        refreshed = predictions_refresh(actor=None, as_of=today)
        result.update(open_items_predicted=refreshed.predicted,
                      refresh_seconds=round(time.perf_counter() - started, 3))
    seconds, rows = timed(lambda: sum(1 for _row in open_item_outlook(as_of=today)), repeat)
    return {**result, "outlook_rows": rows, "outlook": summary_ms(seconds)}
