"""`arms bench --also stress`: time one run of the standard stress scenario on the loaded ledger.

- ``compute``: the base and the stressed 13-week forecasts, the pass over the open items for the ratios and the
  allowance by band, provisioning's computation for both books — everything a run computes, stored nowhere.
- ``cost``: the cost of overdue of every customer (one grouped query over the overdue items).
"""

from __future__ import annotations

from datetime import date

from arms.bench.measure import summary_ms, timed
from arms.customers.services import company_ensure
from arms.stress.selectors import overdue_cost
from arms.stress.services import STANDARD, stress_compute, stress_settings_for


def bench_measure(*, today: date, seed: int, repeat: int) -> dict:
    company = company_ensure()
    settings = stress_settings_for(company)
    seconds, results = timed(lambda: stress_compute(company=company, scenario=STANDARD, as_of=today,
                                                    settings=settings), repeat)
    cost_seconds, rows = timed(lambda: overdue_cost(company=company, as_of=today,
                                                    rate_bp=settings.financing_rate_bp), repeat)
    computed = results if isinstance(results, dict) else {}
    return {
        "as_of": str(today),
        "compute": summary_ms(seconds),
        "cost": summary_ms(cost_seconds),
        "customers_with_overdue": len(rows) if isinstance(rows, list) else 0,
        "defaulted": computed.get("defaulted_count", 0),
        "stressed_minimum_minor": computed.get("stressed", {}).get("minimum_minor"),
    }
