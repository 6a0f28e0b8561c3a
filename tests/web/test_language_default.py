"""Simplified Chinese is the default language; the test settings run in English, so prove it here."""

import importlib

import pytest
from django.test import override_settings


def test_production_settings_default_to_simplified_chinese():
    base = importlib.import_module("arms.settings.base")
    assert (base.LANGUAGE_CODE, base.TIME_ZONE) == ("zh-hans", "Asia/Shanghai")
    assert [code for code, _name in base.LANGUAGES] == ["zh-hans", "en"]


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="zh-hans")
def test_a_browser_that_states_no_language_gets_chinese(client):
    page = client.get("/login/").content.decode()
    assert 'lang="zh-hans"' in page
    assert "登录" in page


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="zh-hans")
def test_an_english_browser_gets_english(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page
    assert "登录" not in page
