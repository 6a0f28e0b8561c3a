"""`arms bench --also limitation`: time the limitation clocks on the loaded ledger.

- ``first_refresh``: the first refresh of an installation: every source is read and a clock written for every
  open or partly paid claim (the worst case, once).
- ``next_refresh``: the daily refresh after it: nothing new to collect, every clock recomputed.
- ``alerts``: the day's 180/90/30-day alerts.
"""

from __future__ import annotations

import time
from datetime import date

from arms.bench.measure import summary_ms, timed
from arms.customers.services import company_ensure
from arms.limitation.services import limitation_alerts, limitation_refresh


def bench_measure(*, today: date, seed: int, repeat: int) -> dict:
    company = company_ensure()
    started = time.perf_counter()
    first = limitation_refresh(company=company, today=today)
    first_seconds = time.perf_counter() - started
    seconds, _again = timed(lambda: limitation_refresh(company=company, today=today), repeat)
    started = time.perf_counter()
    alerts = limitation_alerts(company=company, today=today)
    return {
        "first_refresh_seconds": round(first_seconds, 3),
        "first_refresh": first,
        "next_refresh": summary_ms(seconds),
        "alerts_seconds": round(time.perf_counter() - started, 3),
        "alerts": alerts,
    }
