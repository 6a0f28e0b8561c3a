"""Login throttling by account and by address (django-axes, arms.accounts.throttle) and the password rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
LIMIT = 3


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def user(name: str):
    person = factories.user(name, role="finance_clerk")
    person.set_password(PASSWORD)
    person.save(update_fields=["password"])
    return person


def attempt(username: str, password: str, address: str, **headers):
    client = Client(REMOTE_ADDR=address, headers={"Accept-Language": "zh-hans", **headers})
    response = client.post("/login/", {"username": username, "password": password})
    return response, client


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_for_one_account_lock_that_account_from_every_address():
    user("clerk1")
    for i in range(LIMIT):
        response, _client = attempt("clerk1", "wrong", f"10.0.0.{i + 1}")
        # the login page again with its error, until the failure that reaches the limit
        assert response.status_code == (429 if i == LIMIT - 1 else 200)

    response, client = attempt("clerk1", PASSWORD, "10.0.9.9")  # the right password, from a fresh address

    assert response.status_code == 429 and not logged_in(client)
    page = response.content.decode()
    assert "登录失败次数过多" in page and "15 分钟后再试" in page and "系统管理员" in page
    user("clerk-ok")  # someone else from that address is not locked
    response, client = attempt("clerk-ok", PASSWORD, "10.0.9.9")
    assert response.status_code == 302 and logged_in(client)


def test_wrong_passwords_from_one_address_lock_that_address_for_every_account():
    for i in range(LIMIT):
        attempt(f"guess{i}", "wrong", "192.0.2.7")
    user("clerk2")

    locked, client = attempt("clerk2", PASSWORD, "192.0.2.7")
    assert locked.status_code == 429 and not logged_in(client)
    elsewhere, client = attempt("clerk2", PASSWORD, "192.0.2.8")
    assert elsewhere.status_code == 302 and logged_in(client)


def test_a_successful_login_clears_the_failures():
    user("clerk3")
    for _round in range(2):
        for _i in range(LIMIT - 1):
            attempt("clerk3", "wrong", "10.1.1.1")
        response, client = attempt("clerk3", PASSWORD, "10.1.1.1")
        assert response.status_code == 302 and logged_in(client)


def test_the_admin_login_is_throttled_too():
    user("clerk4")
    for _i in range(LIMIT):
        Client(REMOTE_ADDR="10.2.2.2").post("/admin/login/", {"username": "clerk4", "password": "wrong"})
    response = Client(REMOTE_ADDR="10.2.2.3").post("/admin/login/", {"username": "clerk4", "password": PASSWORD})
    assert response.status_code == 429


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(settings):
    settings.ARMS_PROXY_COUNT = 1
    for i in range(LIMIT):  # one client, spoofing a different X-Forwarded-For each time: the proxy appends its own
        attempt(f"guess-p{i}", "wrong", "127.0.0.1", **{"X-Forwarded-For": f"1.1.1.{i}, 203.0.113.5"})
    user("clerk5")
    locked, _client = attempt("clerk5", PASSWORD, "127.0.0.1", **{"X-Forwarded-For": "203.0.113.5"})
    assert locked.status_code == 429
    other, client = attempt("clerk5", PASSWORD, "127.0.0.1", **{"X-Forwarded-For": "203.0.113.6"})
    assert other.status_code == 302 and logged_in(client)


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901", "wang.ming.arms"])
def test_weak_passwords_are_refused(password):
    person = factories.user("wang.ming.arms")
    with translation.override("zh-hans"), pytest.raises(ValidationError):
        validate_password(password, user=person)


def test_a_good_password_passes():
    validate_password("Tea-kettle-orbit-41", user=factories.user("li.na"))
