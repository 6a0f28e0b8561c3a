"""arms demo_serve: gunicorn and the Huey consumer side by side, stopped together (Ctrl-C, or either failing)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.served,
              pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the children through /proc")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid: int) -> dict[int, str]:
    """{pid: command line} of the processes whose parent is ``pid``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start(tmp_path: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARMS_", "DJANGO_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "arms.settings.demo", "ARMS_VAR_DIR": str(tmp_path),
                "ARMS_BASE_URL": f"http://127.0.0.1:{port}"})
    return subprocess.Popen([sys.executable, "-m", "arms.cli", "demo_serve", "--bind", f"127.0.0.1:{port}",
                             "--workers", "1", "--grace", "20"], env=env, cwd=tmp_path,
                            stdout=(tmp_path / "serve.log").open("wb"), stderr=subprocess.STDOUT)


def wait_for(condition, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {seconds} s:\n{log.read_text(errors='replace')}")
        time.sleep(0.3)


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def test_ctrl_c_stops_the_web_server_and_the_queue_consumer_together(tmp_path):
    port = free_port()
    serve = start(tmp_path, port)
    log = tmp_path / "serve.log"
    try:
        wait_for(lambda: healthy(port), 120, "gunicorn did not answer /healthz", log)
        wait_for(lambda: len(children_of(serve.pid)) == 2, 60, "two children did not start", log)
        children = children_of(serve.pid)
        assert sorted("run_huey" in line for line in children.values()) == [False, True]
        assert any("gunicorn" in line for line in children.values())

        serve.send_signal(signal.SIGINT)

        assert serve.wait(timeout=60) == 0
        wait_for(lambda: not any(alive(pid) for pid in children), 30, "a child outlived demo_serve", log)
        assert not healthy(port)
    finally:
        if serve.poll() is None:
            serve.kill()


def test_when_the_web_server_cannot_start_the_consumer_is_stopped_too(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        serve = start(tmp_path, port)
        try:
            wait_for(lambda: len(children_of(serve.pid)) == 2, 60, "two children did not start", tmp_path / "serve.log")
            children = children_of(serve.pid)

            assert serve.wait(timeout=120) != 0
        finally:
            if serve.poll() is None:
                serve.kill()
    assert not any(alive(pid) for pid in children)
