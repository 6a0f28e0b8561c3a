"""Is anything consuming the queue? Heartbeats of the Huey consumers and the one selector pages ask.

Every consumer writes its row in ``QueueHeartbeat`` (host name and process id) when it starts, every minute
(the periodic task ``arms.common.tasks.queue_heartbeat``) and while it runs a job (``heartbeat_touch`` from a
job's progress, so a long job on a single worker does not look like a dead consumer). The rows live in the
database every web process reads, so this works with several consumers on several machines and with the
SQLite queue alike (a cache would be per process unless it were shared).

``queue_health()`` answers from those rows (and from Huey's count of waiting tasks, where the storage can
tell): a page that shows queued work warns when no consumer has been seen for ``STALE_AFTER``.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from arms.common.models import QueueHeartbeat

log = logging.getLogger(__name__)

#: a consumer runs its heartbeat every minute; two minutes without one means nothing consumes the queue
STALE_AFTER = timedelta(minutes=2)
#: rows of consumers gone for this long are removed (each restart of a consumer writes a new row)
FORGET_AFTER = timedelta(days=1)
#: a running job refreshes its consumer's heartbeat at most this often (seconds)
TOUCH_INTERVAL = 30.0

_last_touch = 0.0


def consumer_name() -> str:
    """This process as a consumer: host name and process id (a consumer's worker threads share it)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def heartbeat(*, started: bool = False, now: datetime | None = None) -> QueueHeartbeat:
    """Record that this consumer is alive (``started``: it has just started, which resets ``started_at``)."""
    global _last_touch
    now = now or timezone.now()
    row, created = QueueHeartbeat.objects.get_or_create(
        consumer=consumer_name(), defaults={"seen_at": now, "started_at": now})
    if not created:
        row.seen_at = now
        fields = ["seen_at"]
        if started:
            row.started_at = now
            fields.append("started_at")
        row.save(update_fields=fields)
    _last_touch = time.monotonic()
    return row


def heartbeat_touch() -> None:
    """``heartbeat`` at most every ``TOUCH_INTERVAL`` seconds; for loops that report progress."""
    if time.monotonic() - _last_touch >= TOUCH_INTERVAL:
        try:
            heartbeat()
        except Exception:  # the job's own work matters more than its sign of life
            log.warning("queue heartbeat could not be written", exc_info=True)


def heartbeats_prune(*, now: datetime | None = None) -> int:
    """Forget consumers not seen for ``FORGET_AFTER``; returns how many rows went."""
    now = now or timezone.now()
    deleted, _per_model = QueueHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
    return deleted


@dataclass(frozen=True)
class QueueHealth:
    """What a page needs to say about the queue."""

    last_seen: datetime | None
    #: consumers seen within ``STALE_AFTER``
    consumers: int
    #: tasks waiting in the queue, or None when the storage cannot tell
    pending: int | None
    checked_at: datetime

    @property
    def consumer_running(self) -> bool:
        return self.last_seen is not None and self.checked_at - self.last_seen <= STALE_AFTER

    @property
    def minutes_since_seen(self) -> int | None:
        if self.last_seen is None:
            return None
        return max(0, int((self.checked_at - self.last_seen).total_seconds() // 60))


def _pending_tasks() -> int | None:
    try:
        from huey.contrib.djhuey import HUEY

        return int(HUEY.pending_count())
    except Exception:  # an unreachable Redis must not break the page that asks
        log.warning("the queue did not say how many tasks wait", exc_info=True)
        return None


def queue_health(*, now: datetime | None = None, count_pending: bool = True) -> QueueHealth:
    """The last heartbeat of any consumer, how many were seen lately, and the tasks waiting."""
    now = now or timezone.now()
    last = QueueHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
    recent = QueueHeartbeat.objects.filter(seen_at__gte=now - STALE_AFTER).count() if last else 0
    return QueueHealth(last_seen=last, consumers=recent, pending=_pending_tasks() if count_pending else None,
                       checked_at=now)
