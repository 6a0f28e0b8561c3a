"""`arms bench --also earlywarning`: time the early-warning evaluation on the loaded ledger.

- ``readings``: each shipped indicator's metric read over the whole book (the aggregate queries alone, no writes),
  in milliseconds per metric;
- ``first_evaluation``: the first evaluation of an installation (every crossing raises its warning, its follow-up
  task and the notifications: the worst case, once);
- ``next_evaluation``: the daily evaluation after it (nothing new crosses; warnings only follow their values).
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from arms.bench.measure import summary_ms, timed
from arms.earlywarning import metrics
from arms.earlywarning.models import Indicator
from arms.earlywarning.services import indicators_ensure_default, warnings_evaluate


def bench_measure(*, today: date, seed: int, repeat: int) -> dict[str, Any]:
    indicators_ensure_default()
    readings: dict[str, Any] = {}
    for indicator in Indicator.objects.filter(active=True).order_by("pk"):
        seconds, found = timed(lambda indicator=indicator: metrics.readings(indicator, today), repeat)
        readings[indicator.metric] = {**summary_ms(seconds), "subjects": len(found) if isinstance(found, list) else 0}
    started = time.perf_counter()
    first = warnings_evaluate(as_of=today)
    first_seconds = time.perf_counter() - started
    seconds, again = timed(lambda: warnings_evaluate(as_of=today), repeat)
    return {"readings": readings, "first_evaluation_seconds": round(first_seconds, 3), "first_evaluation": first,
            "next_evaluation": summary_ms(seconds), "next_evaluation_result": again}
