"""Run one call from many threads at the same moment and collect what each got back.

Shared by the PostgreSQL concurrency tests and the SQLite scenario script: each thread waits at a barrier,
makes its call on its own database connection, and closes that connection when done.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from django.db import connection

from arms.common.errors import ArmsError


def race(calls: list[Callable[[], object]], *, timeout: float = 60) -> list[object]:
    """Start every call at once; return each one's result, its ArmsError, or any other exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except BaseException as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting: deadlock?"
    return results


def outcomes(results: list[object]) -> Counter:
    """'ok' for each success, the error code for each ArmsError, the class name for anything else."""
    return Counter(
        r.code if isinstance(r, ArmsError) else type(r).__name__ if isinstance(r, BaseException) else "ok"
        for r in results
    )
