"""/healthz (for the web process) and `arms health` (for a worker): the database and the queue answer."""

from __future__ import annotations

import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_healthz_answers_ok_without_a_login_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_database_when_it_fails(client):
    with mock.patch("arms.common.health._database", side_effect=OSError("connection refused")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "database": "unavailable"}


def test_arms_health_checks_the_database_and_the_queue(db):
    out = StringIO()
    call_command("health", stdout=out)

    assert out.getvalue().splitlines() == ["database: ok", "task queue: ok"]


def test_arms_health_fails_when_the_queue_does_not_answer(db):
    out = StringIO()
    with mock.patch("arms.common.health._queue", side_effect=ConnectionError("redis down")), \
            pytest.raises(CommandError, match="task queue"):
        call_command("health", stdout=out)

    assert out.getvalue().splitlines() == ["database: ok", "task queue: unavailable"]
