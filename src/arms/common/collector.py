"""How long runs keep Python's cyclic garbage collector out of their way (``arms.domain.cashapp``, which imports
no other layer, pauses it itself while it builds its indexes).

A long run that makes hundreds of thousands of short-lived objects (an import's batches, an export's rows)
triggers the collector's full passes, and each walks every object of the process, the ~140,000 that existed
before the run (modules, Django's registry, caches) included: a second of a 5,000-row import, 0.1–0.2 s of CPU
of the 90,376-row aging export at 1M invoices. ``older_objects_frozen`` hides those older objects from it
(``gc.freeze``) for the run and hands them back at the end (``gc.unfreeze``); the collector still collects what
the run makes.

It only changes when garbage is collected, never what is.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def older_objects_frozen() -> Iterator[None]:
    """The objects that exist now are kept from the cyclic collector until the block ends (also a decorator)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
