"""The hook registry: the one seam by which a lower layer asks the apps above it (ADR 0006)."""

from __future__ import annotations

import pytest

from arms.common import hooks


def test_every_event_is_registered_at_start_up_by_the_app_that_answers_it():
    assert hooks.registered(hooks.EXPOSURE_INCREASE) == ["exposure.credit_check"]
    assert hooks.registered(hooks.TRADE_HISTORY) == ["cases.trade_history"]
    assert set(hooks._registry) <= set(hooks.EVENTS)


def test_a_misspelt_event_is_refused_when_registering_and_when_running(monkeypatch):
    monkeypatch.setattr(hooks, "_registry", {})
    with pytest.raises(LookupError, match="unknown hook event"):
        hooks.register("exposure.increas", "x", lambda **kwargs: None)
    with pytest.raises(LookupError):
        hooks.run("exposure.increas", customer=None)
    assert hooks._registry == {}
