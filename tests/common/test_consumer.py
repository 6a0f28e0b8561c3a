"""One job end to end through a real Huey consumer process (not immediate mode), the queue a SQLite file in a
temporary directory: a second process starts a dunning run as a job and waits; the consumer announces itself
(heartbeat), takes the job, runs it and stores the result.

Both processes use the test database: on PostgreSQL the test database itself (this test commits for real), on
SQLite a copy of the in-memory test database written to a file, since another process cannot open memory.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STARTER = textwrap.dedent("""
    import json, os, time
    import django
    django.setup()
    from django.utils import timezone
    from arms.common.models import QueueHeartbeat
    from arms.common.queue import queue_health
    from arms.dunning.jobs import run_job_start

    job, created = run_job_start(as_of=timezone.localdate(), trigger="api", actor=None)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in ("done", "failed"):
            break
        time.sleep(0.2)
    print(json.dumps({"created": created, "status": job.status, "error": job.error, "worker": job.worker,
                      "result": job.result_data, "me": os.getpid(),
                      "consumer_running": queue_health(count_pending=False).consumer_running,
                      "heartbeats": list(QueueHeartbeat.objects.values_list("consumer", flat=True))}))
""")


def _database_url(tmp_path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user, host, port = settings["USER"], settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
    target = tmp_path / "arms.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()
    return f"sqlite:///{target}"


def test_a_real_consumer_takes_a_job_from_a_sqlite_queue_and_runs_it(tmp_path):
    env = {**os.environ, "ARMS_VAR_DIR": str(tmp_path), "DATABASE_URL": _database_url(tmp_path),
           "ARMS_QUEUE_URL": "", "DJANGO_SETTINGS_MODULE": "arms.settings.base", "ARMS_DEBUG": "0",
           "PYTHONUNBUFFERED": "1"}
    consumer = subprocess.Popen(
        [sys.executable, "-m", "arms.cli", "run_huey", "--workers", "1", "--delay", "0.1", "--max-delay", "0.5"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        starter = subprocess.run([sys.executable, "-c", STARTER], env=env, capture_output=True, text=True,
                                 timeout=150)
    finally:
        consumer.terminate()
        try:
            log, _ = consumer.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            consumer.kill()
            log, _ = consumer.communicate()
    assert starter.returncode == 0, starter.stderr[-3000:]
    outcome = json.loads(starter.stdout.strip().splitlines()[-1])
    assert (outcome["status"], outcome["error"]) == ("done", ""), log[-3000:]
    assert outcome["created"] and outcome["result"]["actions"] == 0  # no policy, no invoices: an empty run
    worker_pid = int(outcome["worker"].rsplit(":", 1)[1])
    assert worker_pid == consumer.pid and worker_pid != outcome["me"]  # the consumer ran it, not the starter
    assert outcome["worker"] in outcome["heartbeats"] and outcome["consumer_running"]
    assert (tmp_path / "huey.sqlite3").exists()
