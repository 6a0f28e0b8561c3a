from __future__ import annotations

import os

import pytest

from tests import factories


def postgres_available() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Roles (groups and permissions) as `arms setup` creates them, once per test database."""
    from arms.accounts.roles import roles_sync

    with django_db_blocker.unblock():
        roles_sync()


@pytest.fixture(autouse=True)
def _roles(db):
    """A transactional test's flush removes the groups: put them back (one query when present)."""
    from arms.accounts.roles import roles_present, roles_sync

    if not roles_present():
        roles_sync()


@pytest.fixture(autouse=True)
def _language_of_the_settings():
    """A request in Chinese leaves its language active in the thread (LocaleMiddleware activates it and nothing
    deactivates it), so the next test would read Chinese messages where it asserts English ones. Put it back."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def company(db):
    from arms.customers.selectors import company_default

    return company_default()


@pytest.fixture
def clerk(db):
    return factories.user("clerk", role="finance_clerk")


@pytest.fixture
def customer(db, company):
    return factories.customer()


def ledger_problems() -> dict[str, list]:
    """Every `arms ledger check` finding, keyed by check; {} when the ledger is sound."""
    from arms.ledger.check import ledger_check

    return {r.code: r.rows for r in ledger_check() if r.rows}


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to; ``.messages`` are what it received."""
    from tests.smtp import SmtpServer

    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()
