"""The suite's own machinery (tests/conftest.py, tests/clock.py): the clock every test runs on, the language
each test starts in, the Hypothesis profile. See docs/testing.md."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests import clock

ROOT = Path(__file__).resolve().parents[1]


def _near_ten(moment: datetime) -> bool:
    """The clock ticks from 10:00: a test on a loaded machine may have taken a minute or two to get here."""
    local = timezone.localtime(moment)
    return time(10, 0) <= local.time() < time(10, 10)


# --------------------------------------------------------------------------------------------- the clock


def test_every_test_starts_at_ten_on_the_test_day(today):
    assert today == timezone.localdate() == clock.suite_moment().date()
    assert _near_ten(timezone.now())
    assert date.today() == today  # the process's time zone is Asia/Shanghai too (Django sets TZ)


def test_the_clock_ticks_so_waits_and_timeouts_still_work():
    first = timezone.now()
    threshold = first + timedelta(milliseconds=5)
    while timezone.now() < threshold:
        pass
    assert timezone.now() > first


@pytest.fixture
def day_seen_by_a_fixture():
    return timezone.localdate()


@pytest.mark.clock("2026-09-30")
def test_a_clock_marker_moves_the_fixtures_and_the_test_to_its_day(day_seen_by_a_fixture, today):
    assert day_seen_by_a_fixture == today == timezone.localdate() == date(2026, 9, 30)
    assert _near_ten(timezone.now())


@pytest.mark.clock("2026-10-31T23:59")
def test_a_clock_marker_takes_a_time_of_day_in_shanghai():
    local = timezone.localtime()
    assert (local.date(), local.hour, local.minute) == (date(2026, 10, 31), 23, 59)
    assert timezone.now().utcoffset() == timedelta(0) and timezone.now().hour == 15  # 23:59 +08:00 is 15:59 UTC


def test_travel_moves_a_block_and_comes_back_to_the_test_day(today):
    with clock.travel("2027-01-01"):
        assert timezone.localdate() == date(2027, 1, 1)
    assert timezone.localdate() == today


def test_dates_are_derived_from_today(today):
    assert clock.days_from_today(-40) == today - timedelta(days=40)
    assert clock.days_from_today(0) == clock.today() == today


@pytest.mark.parametrize(("value", "expected"), [
    ("2031-06-30", "2031-06-30T10:00:00+08:00"),
    ("2031-06-30T07:30", "2031-06-30T07:30:00+08:00"),
    ("2031-06-30 07:30", "2031-06-30T07:30:00+08:00"),
    ("2031-06-30T00:30+00:00", "2031-06-30T08:30:00+08:00"),
    (date(2026, 3, 15), "2026-03-15T10:00:00+08:00"),
])
def test_the_test_day_is_an_iso_date_or_a_date_and_time(value, expected):
    assert clock.moment(value).isoformat() == expected


def test_a_bad_test_day_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv(clock.ENV, "30/06/2031")
    with pytest.raises(ValueError, match=r"^ARMS_TEST_TODAY: '30/06/2031' is not an ISO date"):
        clock.suite_moment()


# ------------------------------------------------------------------------------------------- the language

LEAK = '''
import pytest
from django.test import Client
from django.utils.translation import gettext


@pytest.fixture(autouse=True)
def _roles():
    """No database needed."""
{override}

def test_1_a_chinese_request():
    page = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登录" in page


def test_2_then_english_messages():
    assert gettext("Log in") == "Log in"
'''
NO_RESET = '''
@pytest.fixture(autouse=True)
def _language():
    """What the suite did before: nothing."""
    yield
'''


def test_a_chinese_request_does_not_leak_its_language_into_the_next_test(tmp_path):
    """Two tests in one process, in order: a request in Chinese, then an English message. With the suite's
    reset they both pass; with the reset overridden by a no-op (as before it existed) the second fails."""
    (tmp_path / "test_reset.py").write_text(textwrap.dedent(LEAK.format(override="")))
    (tmp_path / "test_no_reset.py").write_text(textwrap.dedent(LEAK.format(override=NO_RESET)))
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["tests.conftest"]  # the suite\'s own, as is\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "arms.settings.test",
           "DATABASE_URL": "sqlite:///:memory:"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider",
         "-p", "no:xdist", "-rA", "test_reset.py", "test_no_reset.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    summary = {line.split(" ")[1]: line.split(" ")[0] for line in done.stdout.splitlines()
               if line.startswith(("PASSED ", "FAILED ", "ERROR "))}
    assert summary == {
        "test_reset.py::test_1_a_chinese_request": "PASSED",
        "test_reset.py::test_2_then_english_messages": "PASSED",
        "test_no_reset.py::test_1_a_chinese_request": "PASSED",
        "test_no_reset.py::test_2_then_english_messages": "FAILED",
    }, done.stdout + done.stderr


def test_each_test_starts_in_the_settings_language():
    assert translation.get_language() == "en"
    translation.activate("zh-hans")  # left active on purpose: the reset after this test puts English back


# ------------------------------------------------------------------------------------------- Hypothesis


def test_the_hypothesis_profile_tolerates_a_loaded_machine():
    current = hypothesis_settings.default
    assert current.deadline is None
    assert HealthCheck.too_slow in current.suppress_health_check
