"""What every test shares: the clock, the language, the Hypothesis profile, the roles, a few people.

The clock (tests/clock.py, docs/testing.md): each test starts at 10:00 Asia/Shanghai on the test day,
ARMS_TEST_TODAY or today's real date, ticking; ``@pytest.mark.clock("2026-10-20")`` moves a test to the day its
story needs. The language: each test starts and ends in settings.LANGUAGE_CODE, so a Chinese request does not
leak into the next test on the worker. Hypothesis: the "ci" profile in CI, "dev" elsewhere, unless
HYPOTHESIS_PROFILE names another.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests import clock, factories

# A loaded 2-core machine (CI, six engineers on one box) makes data generation slow: that is not a defect of the
# code under test, so too_slow is off and no example has a deadline. "thorough" is for a nightly or a hunt.
hypothesis_settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow],
                                     print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.register_profile("thorough", deadline=None, suppress_health_check=[HealthCheck.too_slow],
                                     max_examples=1_000, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

_SESSION_CLOCK = pytest.StashKey()


def pytest_configure(config):
    # Fix the test day once, in the controller, so xdist workers and child processes agree on it even when a
    # run crosses midnight (they inherit the environment).
    if not hasattr(config, "workerinput"):
        os.environ[clock.ENV] = clock.suite_moment().strftime("%Y-%m-%dT%H:%M")
    # From here on the process runs on the test day, collection included: a module's `TODAY = localdate()` or a
    # parametrize value made from `timezone.now()` is on the day the tests run on. Each test then starts at 10:00.
    config.stash[_SESSION_CLOCK] = clock.travel(clock.suite_moment())
    config.stash[_SESSION_CLOCK].start()
    _flush_past_the_truncate_triggers()


def _flush_past_the_truncate_triggers():
    """PostgreSQL refuses TRUNCATE of the journal, the audit trail and activities (their tamper triggers),
    and Django empties the database after a transactional test with TRUNCATE. The test database's superuser
    runs that one flush as a replica session, in which ordinary triggers do not fire; nothing else does."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush
    if getattr(original, "past_triggers", False):
        return

    def execute_sql_flush(self, sql_list):
        return original(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    execute_sql_flush.past_triggers = True
    DatabaseOperations.execute_sql_flush = execute_sql_flush


def pytest_unconfigure(config):
    travel = config.stash.get(_SESSION_CLOCK, None)
    if travel is not None:
        travel.stop()


def pytest_report_header(config):
    return f"ARMS test day: {clock.suite_moment():%Y-%m-%d %H:%M} Asia/Shanghai (set {clock.ENV} to move it)"


@pytest.fixture(autouse=True)
def _clock(request):
    """Every test runs on the test day (or its ``clock`` marker's day) at 10:00 Shanghai time, ticking.

    A test that uses time-machine's own ``time_machine`` marker keeps that; one that travels further (the
    ``time_machine`` fixture, ``time_machine.travel``) stacks on top of this and comes back to it."""
    if request.node.get_closest_marker("time_machine"):
        yield
        return
    marker = request.node.get_closest_marker("clock")
    if marker and len(marker.args) != 1:
        raise pytest.UsageError("@pytest.mark.clock takes one day: @pytest.mark.clock(\"2026-10-20\")")
    with clock.travel(marker.args[0] if marker else clock.suite_moment()):
        yield


@pytest.fixture
def today(_clock):
    """Today by the test's clock: derive the test's dates from it (``today - timedelta(days=40)``)."""
    return clock.today()


@pytest.fixture(autouse=True)
def _language():
    """Start and end every test in settings.LANGUAGE_CODE: a request in Chinese leaves its language active on
    the thread (LocaleMiddleware does not reset it), which would turn the next test's English messages Chinese."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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


@pytest.fixture
def company(db):
    from arms.customers.services import company_ensure

    return company_ensure()


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


@pytest.fixture(autouse=True)
def _unrated_policy(request):
    """The company's unrated policy for a company without saved settings (``ARMS_CREDIT_UNRATED_POLICY``).

    The product default is ``limit`` (an unrated customer is held to CNY 50,000.00 until rated, issue 16). The suite
    runs with ``warn`` (the behaviour before issue 16), because most fixtures invoice unrated customers far above
    that limit to test something else. A test about the policy says which one it wants:
    ``@pytest.mark.unrated_policy("limit")`` (or saves a CreditControlSettings row, which always wins)."""
    from django.test import override_settings

    marker = request.node.get_closest_marker("unrated_policy")
    with override_settings(ARMS_CREDIT_UNRATED_POLICY=marker.args[0] if marker else "warn"):
        yield
