"""`arms bench --also provisioning`: time the allowance on the loaded ledger.

- ``preview``: the required allowance of every customer as of last month end (the matrix, the assessments, each
  customer's open items by band, the allowance already booked) — what the preview page and a run compute.
- ``post``: the first run posted for that month end: the preview plus one journal entry per customer whose
  true-up is not zero, and the run's lines (the worst case: nothing was booked before).
"""

from __future__ import annotations

import time
from datetime import date

from arms.bench.measure import summary_ms, timed
from arms.customers.services import company_ensure
from arms.domain.terms import month_start
from arms.provisioning.services import provision_preview, provision_run_post


def bench_measure(*, today: date, seed: int, repeat: int) -> dict:
    company = company_ensure()
    as_of = date.fromordinal(month_start(today).toordinal() - 1)
    seconds, computation = timed(lambda: provision_preview(company=company, as_of=as_of), repeat)
    started = time.perf_counter()
    run = provision_run_post(actor=None, company=company, as_of=as_of)
    posted = time.perf_counter() - started
    return {
        "as_of": str(as_of),
        "customers": len(computation.customers),
        "preview": summary_ms(seconds),
        "post_seconds": round(posted, 3),
        "true_up_minor": run.true_up_minor,
    }
