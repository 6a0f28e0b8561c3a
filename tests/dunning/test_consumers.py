"""Two real Huey consumers (`arms run_huey`) on Redis and PostgreSQL carry out a run's actions side by side, and
every action is carried out once although each is handed to the queue twice: activity, task and e-mail once
each, the SMTP server receiving each message once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from arms.dunning.models import ActionStatus, DunningAction, DunningEmail, EmailStatus
from arms.dunning.services import dunning_run
from tests import factories
from tests.conftest import postgres_available
from tests.dunning.conftest import AFTER_THE_STORIES, make_customer
from tests.test_queue import redis_answers

REDIS_DB = 13  # a database of its own on the local Redis, flushed before and after
pytestmark = [
    pytest.mark.skipif(not redis_answers(), reason="two consumers need a queue they share: Redis on 127.0.0.1:6379"),
    pytest.mark.skipif(not postgres_available(), reason="consumers in other processes need PostgreSQL: set "
                       "DATABASE_URL=postgres://..."),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    AFTER_THE_STORIES,
]
SRC = Path(__file__).resolve().parents[2] / "src"


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _redis_queue():
    from huey import RedisHuey

    return RedisHuey("arms", url=f"redis://127.0.0.1:6379/{REDIS_DB}")  # the name the consumers' settings use


def _consumer(tmp_path: Path, n: int, smtp_port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(SRC), "DJANGO_SETTINGS_MODULE": "arms.settings.local",
           "DATABASE_URL": _database_url(), "ARMS_QUEUE_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
           "ARMS_QUEUE_WORKERS": "1", "ARMS_VAR_DIR": str(tmp_path / f"c{n}"),
           "ARMS_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}"}
    (tmp_path / f"c{n}").mkdir()
    log = (tmp_path / f"consumer{n}.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "arms.cli", "run_huey"], env=env, stdout=log,
                            stderr=subprocess.STDOUT)


def test_two_consumers_carry_out_each_action_once(policy, people, tmp_path):
    from huey.contrib.djhuey import HUEY

    from arms.cases.models import Activity, Task
    from arms.dunning.models import DunningStage
    from arms.dunning.services.actions import process_batch, process_run
    from tests.smtp import SmtpServer

    # no PDFs: rendering CJK letters takes seconds a piece on a busy machine, and is not what is tested here
    DunningStage.objects.update(letter_kind="", attach_statement=False)
    for _n in range(8):
        cust = make_customer(people)
        factories.invoice(cust)  # +34 days on the run's day: the letter stage (e-mailed)
        factories.invoice(cust, issued=date(2026, 1, 20))  # +24: the collector's call
    run = dunning_run(as_of=date(2026, 3, 15), process=False)
    ids = list(DunningAction.objects.filter(run=run).order_by("pk").values_list("pk", flat=True))
    assert len(ids) == 16

    queue = _redis_queue()
    queue.storage.flush_all()
    # every action twice: the run's fan-out twice (a redelivered process_run), and one batch again by hand
    for task in (process_run.s(run.pk), process_run.s(run.pk), process_batch.s(ids[:5])):
        queue.storage.enqueue(HUEY.serialize_task(task))
    smtp = SmtpServer()
    smtp.start()
    consumers = [_consumer(tmp_path, n, smtp.port) for n in (1, 2)]
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            actions = DunningAction.objects.filter(run=run)
            emails = DunningEmail.objects.filter(action__run=run)
            if (not actions.exclude(status=ActionStatus.DONE).exists()
                    and not emails.exclude(status=EmailStatus.SENT).exists() and queue.pending_count() == 0):
                break
            assert all(c.poll() is None for c in consumers), (tmp_path / "consumer1.log").read_text()
            time.sleep(0.5)
        time.sleep(1)  # a duplicate still in a worker's hands finishes (as a no-op) before the counts
    finally:
        for c in consumers:
            c.terminate()
        for c in consumers:
            c.wait(timeout=30)
        smtp.stop()
        queue.storage.flush_all()

    logs = "".join((tmp_path / f"consumer{n}.log").read_text() for n in (1, 2))
    assert sorted(DunningAction.objects.filter(run=run, status=ActionStatus.DONE).values_list("pk", flat=True)) == ids
    refs = Counter(Activity.objects.filter(source="dunning", source_ref__startswith="action:")
                   .values_list("source_ref", flat=True))
    assert refs == {f"action:{pk}": 1 for pk in ids}
    tasks = Counter(Task.objects.filter(source="dunning").values_list("source_ref", flat=True))
    assert tasks and set(tasks.values()) == {1}
    sent = DunningEmail.objects.filter(action__run=run, status=EmailStatus.SENT)
    assert sent.count() == 8 and set(sent.values_list("attempts", flat=True)) == {1}
    received = Counter(str(m["Message-ID"]).strip() for m in smtp.messages)
    assert received == {e.message_id: 1 for e in sent}
    # both consumers did some of the work (each logs the tasks it executed)
    assert all("process_batch" in (tmp_path / f"consumer{n}.log").read_text() for n in (1, 2)), logs
