"""schemathesis over the whole API (issue 10): every operation of the OpenAPI document, called in this process
through the WSGI app (no server), as a superuser (every permission) with a bearer token.

A bounded, derandomized number of examples per operation keeps the run short and the same on every machine.
Each response must: not be a 5xx, have a status the document declares for the operation, and match the
schema declared for that status (the error shape included). A failure is fixed in the code, never by
loosening these checks. ``ARMS_SCHEMATHESIS_EXAMPLES`` raises the number for a longer local run."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from arms.accounts.services import token_create
from tests import factories

EXAMPLES = int(os.environ.get("ARMS_SCHEMATHESIS_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The real WSGI handler closes the database connection after each request, which would end the test's
    transaction on PostgreSQL; Django's test client unhooks the same signal handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db):
    factories.user("fuzz_admin", superuser=True)
    _token, secret = token_create(username="fuzz_admin", name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


# The document as the app serves it (an anonymous GET of /api/openapi.json reads no table).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_promises(case, bearer):
    if os.environ.get("ARMS_SCHEMATHESIS_LOG"):
        with open(os.environ["ARMS_SCHEMATHESIS_LOG"], "a") as log:
            log.write(f"{case.meta.phase.name if case.meta else '-'} {case.method} {case.path}\n")
    case.call_and_validate(headers=bearer, checks=CHECKS)
