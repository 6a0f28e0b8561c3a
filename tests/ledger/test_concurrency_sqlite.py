"""On SQLite, IMMEDIATE transactions serialise concurrent allocations as row locks do on PostgreSQL.

The races run in a child process on a fresh file database (see tests/ledger/sqlite_threads.py), because
the suite's in-memory SQLite database cannot be shared by threads the way a file can.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import postgres_available

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(postgres_available(), reason="the suite runs on PostgreSQL; test_concurrency_pg.py covers it")
def test_sqlite_serialises_concurrent_allocations(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "arms.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'arms.sqlite3'}",
        "ARMS_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run([sys.executable, "-m", "tests.ledger.sqlite_threads"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert report["one_payment"] == {"outcomes": {"ok": 3, "over_allocation": 5}, "unallocated": 10_000,
                                     "open": [53_000, 26_500]}
    assert report["one_invoice"] == {"outcomes": {"ok": 5, "over_allocation": 3}, "open": 13_000}
    assert report["ledger_problems"] == {}
    assert report["audit_ok"] is True
