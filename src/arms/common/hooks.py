"""A tiny registry through which the foundation asks the capabilities built on it before it acts.

The ledger and contracts must not import the credit check (the foundation imports no capability, see ADR
0006), yet every document that raises a customer's exposure has to pass it under the customer's row lock.
So the foundation calls a named event here and the capability registers for it in its ``AppConfig.ready()``:

    hooks.register("exposure.increase", "exposure.credit_check", exposure_enforce)   # arms.exposure.apps
    hooks.run("exposure.increase", customer=locked, amount_minor=gross, currency="CNY",
              document_kind="invoice", document_ref=number, user=actor)           # arms.ledger, arms.contracts

``run`` calls every registered callable in registration order with the keyword arguments given and
returns their results; a callable refuses by raising an ``ArmsError`` (the credit check raises
``Conflict(code=ErrorCode.CREDIT_BLOCKED)``), which rolls back the caller's transaction. With nothing registered
(an install without the exposure app) ``run`` does nothing.

Events in use:

- ``exposure.increase``: ``customer`` (the locked Customer row), ``amount_minor`` (int, the document's
  amount), ``currency``, ``document_kind`` ("invoice", "contract"), ``document_ref`` (its number),
  ``user`` (the actor or None) and, for an invoice billed against a contract, ``contract``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

_registry: dict[str, dict[str, Callable[..., Any]]] = {}

EXPOSURE_INCREASE = "exposure.increase"


def register(event: str, name: str, fn: Callable[..., Any]) -> None:
    """Register ``fn`` for ``event`` under ``name``; registering a name again replaces it (ready() may rerun)."""
    _registry.setdefault(event, {})[name] = fn


def unregister(event: str, name: str) -> None:
    _registry.get(event, {}).pop(name, None)


def registered(event: str) -> list[str]:
    """The names registered for ``event``, in the order they run."""
    return list(_registry.get(event, {}))


def run(event: str, **kwargs) -> list[Any]:
    """Call every callable registered for ``event`` with ``kwargs``; their results, in order."""
    return [fn(**kwargs) for fn in list(_registry.get(event, {}).values())]


@contextmanager
def suspended(event: str, name: str):
    """Take ``name`` off ``event`` for the length of a ``with`` block (tests, bulk loads of history)."""
    fn = _registry.get(event, {}).pop(name, None)
    try:
        yield
    finally:
        if fn is not None:
            register(event, name, fn)
