"""`arms bench --also dunning`: time the dunning run on the loaded ledger.

- ``first_run``: the first run ever over the whole book (no item has been dunned): every open item that has
  reached a stage gets its item rows and every customer its actions. The worst case, once per installation.
- ``rerun_same_day``: the same day again: one run per company and day, so the day's run is returned (a lookup
  under the policy locks; nothing is selected). Repeated ``repeat`` times.
- ``next_day``: the run of the following day: what a daily run costs in steady state.
- ``process_no_pdf`` and ``process_with_pdf``: carrying out actions one by one (activity, task, hold, e-mail row;
  the second also renders the letter and statement), per action, on a sample. E-mails are left in the outbox.
- ``dunning_stage_of``: the seam the worklist and analytics call, per customer.

The run itself is what scales with the book; processing scales with the actions of the day and runs on the
queue, one short transaction each.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta

from django.db.models import Count

from arms.bench.measure import summary_ms, timed
from arms.dunning.models import ActionStatus, DunningAction, DunningItem, RunTrigger
from arms.dunning.selectors import dunning_stage_of
from arms.dunning.services import action_process, dunning_run, policy_ensure_default
from arms.ledger.models import Invoice


def _run(as_of: date) -> tuple[float, dict]:
    started = time.perf_counter()
    run = dunning_run(as_of=as_of, trigger=RunTrigger.CLI, process=False)
    seconds = time.perf_counter() - started
    return seconds, {"run": run.pk, "actions": run.actions_count, "items": run.items_count,
                     "skipped": run.skipped_count, "held": run.held_count}


def bench_measure(*, today: date, seed: int, repeat: int, process_sample: int = 100, pdf_sample: int = 5) -> dict:
    policy_ensure_default()
    open_items = Invoice.objects.filter(amount_open_minor__gt=0).count()
    first_seconds, first = _run(today)
    rerun_seconds = []
    for _n in range(repeat):
        seconds, again = _run(today)
        rerun_seconds.append(seconds)
        assert again["run"] == first["run"], "a second run on the same day made another run"
    next_seconds, following = _run(today + timedelta(days=1))

    pending = list(DunningAction.objects.filter(status=ActionStatus.PENDING).order_by("pk")
                   .values_list("pk", flat=True)[: process_sample + pdf_sample])
    plain, with_pdf = [], []
    for n, pk in enumerate(pending):  # the first few with their PDFs, the rest without
        started = time.perf_counter()
        action_process(action_id=pk, queue_email=False, documents_wanted=() if n >= pdf_sample else
                       ("letter", "statement"))
        (plain if n >= pdf_sample else with_pdf).append(time.perf_counter() - started)

    customers = list(DunningItem.objects.values("customer_id").annotate(n=Count("pk")).order_by("-n", "customer_id")
                     .values_list("customer_id", flat=True)[:5])
    stage_seconds = []
    for customer_id in customers:
        runs, _result = timed(lambda c=customer_id: dunning_stage_of(c), repeat)
        stage_seconds += runs
    return {
        "open_items": open_items,
        "first_run": {"seconds": round(first_seconds, 3), **{k: v for k, v in first.items() if k != "run"},
                      "items_per_second": round(first["items"] / first_seconds)},
        "rerun_same_day": {"median_s": round(statistics.median(rerun_seconds), 3), "runs": len(rerun_seconds)},
        "next_day": {"seconds": round(next_seconds, 3), **{k: v for k, v in following.items() if k != "run"}},
        "process_no_pdf": {**summary_ms(plain), "actions": len(plain)} if plain else None,
        "process_with_pdf": {**summary_ms(with_pdf), "actions": len(with_pdf)} if with_pdf else None,
        "dunning_stage_of": summary_ms(stage_seconds) if stage_seconds else None,
        "seed": seed,
    }


def consumers_measure(*, consumers: int, actions: int, queue_url: str, pdfs: bool = False,
                      timeout: float = 1800.0) -> dict:
    """Time ``consumers`` queue consumers (``arms run_huey``, one worker thread each, on the Redis queue
    ``queue_url``) carrying out ``actions`` of the waiting actions (activity, task, hold, e-mail to the outbox;
    with ``pdfs`` the letters and statements are rendered too), from the consumers' start to the last action
    done (so the start-up of the processes is included). Run it in a process whose DATABASE_URL and
    ARMS_VAR_DIR name the bench book; the consumers inherit them. The actions are handed to the queue the way
    ``process_run`` does."""
    import os
    import subprocess
    import sys

    from huey import RedisHuey
    from huey.contrib.djhuey import HUEY

    from arms.dunning.services.actions import ALL_DOCUMENTS, TASK_BATCH, actions_pending, process_batch

    queue = RedisHuey("arms", url=queue_url)
    queue.storage.flush_all()
    pks = list(actions_pending()[:actions])
    for start in range(0, len(pks), TASK_BATCH):
        queue.storage.enqueue(HUEY.serialize_task(process_batch.s(
            pks[start:start + TASK_BATCH], documents_wanted=ALL_DOCUMENTS if pdfs else ())))
    env = {**os.environ, "ARMS_QUEUE_URL": queue_url, "ARMS_QUEUE_WORKERS": "1"}
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "arms.cli", "run_huey"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for _n in range(consumers)]
    try:
        waiting = DunningAction.objects.filter(pk__in=pks, status__in=[ActionStatus.PENDING, ActionStatus.PROCESSING])
        while waiting.exists() and time.perf_counter() - started < timeout:
            time.sleep(0.2)
        seconds = time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)
        queue.storage.flush_all()
    statuses = dict(DunningAction.objects.filter(pk__in=pks).values_list("status").annotate(n=Count("pk"))
                    .values_list("status", "n"))
    return {"consumers": consumers, "actions": len(pks), "seconds": round(seconds, 1),
            "actions_per_second": round(len(pks) / seconds, 2), "statuses": statuses}
