"""The task queue: SQLite storage by default, Redis when ARMS_QUEUE_URL names one (ADR 0005)."""

import socket
import uuid
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey

from arms.settings.base import huey_config


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def test_default_queue_is_a_sqlite_file():
    config = huey_config("", Path("/srv/arms/var"))
    assert config["huey_class"] == "huey.SqliteHuey"
    assert config["filename"] == "/srv/arms/var/huey.sqlite3"


def test_a_consumer_runs_two_worker_threads_unless_told_otherwise():
    """A long job on one thread leaves the other for e-mails and the heartbeat (ADR 0007)."""
    assert huey_config("", Path("/x"))["consumer"] == {"workers": 2, "worker_type": "thread"}
    assert huey_config("redis://q:6379/0", Path("/x"), 4)["consumer"]["workers"] == 4


def test_redis_url_selects_redis():
    config = huey_config("redis://queue:6379/2", Path("/x"))
    assert (config["huey_class"], config["url"]) == ("huey.RedisHuey", "redis://queue:6379/2")


def _round_trip(huey) -> int:
    @huey.task()
    def add(a, b):
        return a + b

    pending = add(20, 22)
    task = huey.dequeue()
    huey.execute(task)
    return pending.get(blocking=True, timeout=5)


def test_a_task_round_trips_through_sqlite_storage(tmp_path):
    huey = SqliteHuey(name="arms-test", filename=str(tmp_path / "q.sqlite3"))
    assert _round_trip(huey) == 42


@pytest.mark.skipif(not redis_answers(), reason="Redis does not answer on 127.0.0.1:6379")
def test_a_task_round_trips_through_redis():
    huey = RedisHuey(name=f"arms-test-{uuid.uuid4().hex}", url="redis://127.0.0.1:6379/15")
    try:
        assert _round_trip(huey) == 42
    finally:
        huey.storage.flush_all()
