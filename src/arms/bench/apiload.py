"""``arms bench api``: the API under load, served as production serves it.

gunicorn starts with the production settings (``arms.settings.production`` on PostgreSQL; on SQLite, which
production refuses, ``arms.settings.served``: the same served stack without the PostgreSQL and HTTPS checks)
on 127.0.0.1 and a free port, once per worker count. A small asyncio client then keeps ``concurrency``
requests in flight for a warm-up (not counted) and for ``seconds`` (counted), drawing each request from
the mix: a credit check, a customer's open items, a twelve-month statement and an invoice posting, as a
bench user with a bearer token. The client speaks HTTP/1.1 itself, one connection per request (gunicorn's
sync workers close the connection after each answer anyway), so the bench needs no HTTP library.

Any answer but 2xx counts as an error, with its status. gunicorn is stopped at the end, after an error and
on Ctrl-C (``finally``). The invoices posted stay in the scratch book: run it on a bench database only.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from arms.accounts.roles import Role, roles_sync
from arms.accounts.services import token_create
from arms.customers.services import company_ensure
from arms.exposure.models import DEFAULT_GUARANTEE_WARN_DAYS, DEFAULT_UNRATED_LIMIT_MINOR, UnratedPolicy
from arms.exposure.services import control_settings_update
from arms.ledger.models import Invoice

USERNAME = "bench-api"
ENDPOINTS = ("credit_check", "open_items", "statement", "invoice_post")
#: how often each request is drawn: reads dominate, as in an ERP's traffic
WEIGHTS = {"credit_check": 4, "open_items": 3, "statement": 2, "invoice_post": 1}


@dataclass
class Sample:
    endpoint: str
    status: int
    seconds: float
    error: str = ""  # the start of a non-2xx answer's body


@dataclass
class Mix:
    """Draws the requests: which endpoint, for which customer, with which body."""

    customers: list[int]
    today: date
    rng: random.Random
    names: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.names = [name for name in ENDPOINTS for _n in range(WEIGHTS[name])]

    def next(self) -> tuple[str, str, str, dict | None]:
        """(endpoint, method, path, JSON body or None)."""
        endpoint = self.rng.choice(self.names)
        customer = self.rng.choice(self.customers)
        if endpoint == "credit_check":
            amount = self.rng.randint(1_000, 500_000) * 100
            return endpoint, "POST", "/api/v1/credit/check", {"customer_id": customer, "amount_minor": amount,
                                                               "reference": f"BENCH-{self.rng.randrange(10**9)}"}
        if endpoint == "open_items":
            return endpoint, "GET", f"/api/v1/customers/{customer}/open-items?limit=50", None
        if endpoint == "statement":
            start = self.today - timedelta(days=365)
            return endpoint, "GET", (f"/api/v1/customers/{customer}/statement?from={start.isoformat()}"
                                     f"&to={self.today.isoformat()}"), None
        net = self.rng.randint(100, 5_000) * 100  # far below the default four-eyes amount: 201
        return endpoint, "POST", "/api/v1/invoices", {"customer_id": customer, "issue_date": self.today.isoformat(),
                                                      "net_minor": net, "tax_minor": (net * 13 + 50) // 100,
                                                      "description": "arms bench api"}


def bench_token() -> str:
    """A bench user ``bench-api`` (finance clerk and credit manager, created once) and a new bearer token for it.

    The bench book's customers are not rated, and the default credit policy refuses documents that take an
    unrated customer past a small default limit: every invoice posting would be a 409. So the bench sets the
    scratch company's policy for unrated customers to *warn*, through the service a credit manager uses; the
    credit check still runs in full on every posting and every check.
    """
    user, _created = get_user_model().objects.get_or_create(username=USERNAME, defaults={"is_active": True})
    if not Group.objects.filter(name=Role.FINANCE_CLERK.value).exists():
        roles_sync()  # what arms setup does; a database migrated otherwise may not have the roles yet
    user.groups.add(*Group.objects.filter(name__in=[Role.FINANCE_CLERK.value, Role.CREDIT_MANAGER.value]))
    user = get_user_model().objects.get(pk=user.pk)  # permissions are cached per instance
    control_settings_update(company_id=company_ensure().pk, actor=user, unrated_policy=UnratedPolicy.WARN.value,
                            unrated_limit_minor=DEFAULT_UNRATED_LIMIT_MINOR,
                            guarantee_warn_days=DEFAULT_GUARANTEE_WARN_DAYS)
    _token, secret = token_create(username=USERNAME, name="arms bench api")
    return secret


def sample_customers(count: int, seed: int) -> list[int]:
    """Up to ``count`` customers that have invoices, drawn with ``seed``."""
    ids = list(Invoice.objects.values_list("customer_id", flat=True).order_by("customer_id").distinct()[:100_000])
    return random.Random(seed).sample(ids, min(count, len(ids)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served_settings() -> str:
    """The production settings where they can run (PostgreSQL), else the served stack they build on."""
    return "arms.settings.production" if connection.vendor == "postgresql" else "arms.settings.served"


class Gunicorn:
    """gunicorn on 127.0.0.1:``port`` with ``workers`` sync workers; a context manager that always stops it."""

    def __init__(self, *, workers: int, port: int, log: Path, timeout: int = 30):
        self.workers, self.port, self.log, self.timeout = workers, port, log, timeout
        self.process: subprocess.Popen | None = None
        self.settings_module = served_settings()

    def __enter__(self) -> Gunicorn:
        env = dict(os.environ)
        env.update({
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "ARMS_SECRET_KEY": env.get("ARMS_SECRET_KEY") or secrets.token_urlsafe(50),
            "ARMS_BASE_URL": f"http://127.0.0.1:{self.port}",
            "ARMS_ALLOWED_HOSTS": "127.0.0.1",
            "ARMS_DB_CONN_MAX_AGE": env.get("ARMS_DB_CONN_MAX_AGE", "60"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]),
                                                        env.get("PYTHONPATH", "")])),
        })
        command = [sys.executable, "-m", "gunicorn", "arms.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(self.workers), "--timeout", str(self.timeout), "--no-control-socket"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ended (exit code {self.process.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within {seconds:.0f} s; see {self.log}")

    def __exit__(self, *exc) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)  # graceful: the workers finish their request
        try:
            process.wait(timeout=self.timeout + 5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def request(port: int, method: str, path: str, body: dict | None, token: str,
                  timeout: float) -> tuple[int, bytes]:
    """One HTTP/1.1 request on its own connection: (status code, 0 when the connection failed; the answer)."""
    payload = json.dumps(body).encode() if body is not None else b""
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"X-Forwarded-Proto: https\r\nAccept: application/json\r\nConnection: close\r\n")
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    except (OSError, TimeoutError) as error:
        return 0, repr(error).encode()
    try:
        writer.write(head.encode() + b"\r\n" + payload)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout)
        rest = await asyncio.wait_for(reader.read(), timeout)  # to the end (Connection: close)
        parts = status_line.split()
        return (int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0), rest
    except (OSError, TimeoutError, asyncio.IncompleteReadError) as error:
        return 0, repr(error).encode()
    finally:
        writer.close()


async def drive(*, port: int, token: str, mix: Mix, concurrency: int, seconds: float,
                timeout: float) -> tuple[list[Sample], float]:
    """``concurrency`` clients, each sending one request after the other until ``seconds`` pass."""
    samples: list[Sample] = []
    end = time.perf_counter() + seconds

    async def client() -> None:
        while time.perf_counter() < end:
            endpoint, method, path, body = mix.next()
            started = time.perf_counter()
            status, answer = await request(port, method, path, body, token, timeout)
            seconds = time.perf_counter() - started
            error = "" if 200 <= status < 300 else answer.partition(b"\r\n\r\n")[2][:300].decode(errors="replace")
            samples.append(Sample(endpoint, status, seconds, error))

    started = time.perf_counter()
    await asyncio.gather(*(client() for _n in range(concurrency)))
    return samples, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0.5, 0.99) of ``values``, which must not be empty."""
    ordered = sorted(values)
    rank = math.ceil(share * len(ordered) - 1e-9)  # the smallest value with at least ``share`` of all at or below
    return ordered[max(0, min(len(ordered) - 1, rank - 1))]


def summarise(samples: list[Sample], wall: float) -> dict:
    """Per endpoint and in total: requests, errors (any non-2xx, by status), requests/s, p50/p99 in ms."""
    figures = {}
    for name in (*ENDPOINTS, "total"):
        chosen = [s for s in samples if name in (s.endpoint, "total")]
        errors: dict[str, int] = {}
        for s in chosen:
            if not 200 <= s.status < 300:
                errors[str(s.status)] = errors.get(str(s.status), 0) + 1
        times = [s.seconds * 1000 for s in chosen]
        figures[name] = {
            "requests": len(chosen),
            "errors": sum(errors.values()),
            "error_statuses": errors,
            "first_error": next((s.error for s in chosen if not 200 <= s.status < 300), ""),
            "requests_per_second": round(len(chosen) / wall, 1) if wall else 0.0,
            "p50_ms": round(percentile(times, 0.50), 1) if times else None,
            "p99_ms": round(percentile(times, 0.99), 1) if times else None,
            "mean_ms": round(statistics.mean(times), 1) if times else None,
        }
    return figures


def run(*, workers: list[int], seconds: float, warmup: float, concurrency: int, customers: int, seed: int,
        timeout: float = 30.0) -> dict:
    """The whole scenario, once per worker count; the figures as a dict (the JSON line)."""
    token = bench_token()
    chosen = sample_customers(customers, seed)
    if not chosen:
        raise ValueError("no customer has invoices")
    today = timezone.localdate()
    log = Path(settings.VAR_DIR) / "bench-api-gunicorn.log"
    runs = []
    for count in workers:
        mix = Mix(customers=chosen, today=today, rng=random.Random(seed + count))
        port = free_port()
        with Gunicorn(workers=count, port=port, log=log, timeout=int(timeout)) as server:
            server.wait_ready()
            if warmup > 0:
                asyncio.run(drive(port=port, token=token, mix=mix, concurrency=concurrency, seconds=warmup,
                                  timeout=timeout))
            samples, wall = asyncio.run(drive(port=port, token=token, mix=mix, concurrency=concurrency,
                                              seconds=seconds, timeout=timeout))
        runs.append({"workers": count, "seconds": round(wall, 3), "endpoints": summarise(samples, wall)})
    return {
        "settings": served_settings(),
        "concurrency": concurrency,
        "warmup_seconds": warmup,
        "customers_sampled": len(chosen),
        "gunicorn_log": str(log),
        "runs": runs,
    }
