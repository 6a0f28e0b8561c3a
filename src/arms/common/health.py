"""Is this ARMS process able to work? ``/healthz`` for the web process, ``arms health`` for a worker.

For load balancers and container healthchecks (compose.yaml): each check answers "ok" or a short reason; the
reason names the dependency, never the error text, since /healthz answers anyone. The error itself is logged.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def _queue() -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.pending_count()  # a round trip to the queue's storage (Redis, or the SQLite file)


CHECKS = ("database", "queue")


def health_checks(names: tuple[str, ...] = CHECKS) -> dict[str, str]:
    """``{name: "ok" | "unavailable"}`` for each check named."""
    results = {}
    for name in names:
        try:
            {"database": _database, "queue": _queue}[name]()
        except Exception:  # whatever the driver raises, the answer is the same: not usable now
            log.exception("health check %s failed", name)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    return results


@never_cache
@require_GET
def healthz(request) -> JsonResponse:
    """200 ``{"status": "ok", "database": "ok"}`` when the database answers, else 503 (no login needed)."""
    checks = health_checks(("database",))
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
