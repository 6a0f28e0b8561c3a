"""arms bench api: gunicorn serves a tiny SQLite book, the client's requests succeed, and the report has its shape.

gunicorn is another process, so it needs a database file: the test copies the suite's migrated (empty) test
database into one with SQLite's backup API, loads a tiny book into it with ``arms bench`` and runs the scenario
for about two seconds with one worker. No time is asserted.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection

from arms.bench.apiload import ENDPOINTS, percentile

pytestmark = [pytest.mark.served,
              pytest.mark.skipif(importlib.util.find_spec("gunicorn") is None, reason="gunicorn is not installed")]


def arms(*args: str, env: dict, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "arms.cli", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=600, check=False)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_api_bench_serves_a_small_book_and_reports_each_endpoint(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("copies the SQLite test database to a file; the PostgreSQL run is documented in benchmarks.md")
    connection.ensure_connection()
    database = tmp_path / "bench.sqlite3"
    with sqlite3.connect(database) as target:
        connection.connection.backup(target)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ARMS_", "DJANGO_"))}
    env.update({"DATABASE_URL": f"sqlite:///{database}", "ARMS_VAR_DIR": str(tmp_path)})

    loaded = arms("bench", "--invoices", "300", "--samples", "1", "--repeat", "1", env=env, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    run = arms("bench", "api", "--workers", "1", "--seconds", "2", "--warmup", "0", "--concurrency", "2",
               "--customers", "5", env=env, cwd=tmp_path)

    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 1
    figures = json.loads(lines[0])
    assert figures["benchmark"] == "arms bench api"
    assert figures["settings"] == "arms.settings.served"
    assert [r["workers"] for r in figures["runs"]] == [1]
    endpoints = figures["runs"][0]["endpoints"]
    assert set(endpoints) == {*ENDPOINTS, "total"}
    total = endpoints["total"]
    assert total["requests"] > 0
    assert total["errors"] == 0, {name: row["first_error"] for name, row in endpoints.items()}
    assert total["requests"] == sum(endpoints[name]["requests"] for name in ENDPOINTS)
    assert set(total) >= {"requests_per_second", "p50_ms", "p99_ms", "error_statuses"}
    assert "p99 毫秒" in run.stderr  # the readable table, in Chinese like every command
    # gunicorn was stopped at the end
    log = (tmp_path / "bench-api-gunicorn.log").read_text()
    assert "Shutting down: Master" in log


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]

    assert (percentile(values, 0.5), percentile(values, 0.99), percentile([7.0], 0.99)) == (50.0, 99.0, 7.0)
