"""`arms bench --also incentives`: time the computation of last month's payout sheet on the loaded ledger.

- ``compute``: everything ``scheme_compute`` reads — both months' DSO, the cash credited per person through the
  assignment history (one grouped query per role), analytics' 回收率 and 催收成功率 grouped by owner, the items
  past 90 days, the ratings — and the split; the scheme is made in a transaction that is rolled back, so the
  bench stores nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from arms.bench.measure import summary_ms, timed
from arms.customers.services import company_ensure
from arms.domain.terms import month_start
from arms.incentives.models import IncentiveScheme
from arms.incentives.services import scheme_create, sheet_compute


def bench_measure(*, today: date, seed: int, repeat: int) -> dict[str, Any]:
    del seed
    company = company_ensure()
    period = month_start(month_start(today) - timedelta(days=1))
    with transaction.atomic():
        scheme = (IncentiveScheme.objects.filter(company=company, period=period).first()
                  or scheme_create(actor=None, company=company, period=period, terms={"base_pool_minor": 5_000_000}))
        seconds, result = timed(lambda: sheet_compute(scheme), repeat)
        transaction.set_rollback(True)
    results, lines = result if isinstance(result, tuple) else ({}, [])
    return {
        "period": f"{period:%Y-%m}",
        "compute": summary_ms(seconds),
        "people": len(lines),
        "pool_step_bp": results.get("pool_step_bp"),
        "collections_minor": sum(line.collections_minor for line in lines),
    }
