"""person_name: how ARMS writes a person's name on pages, exports, the API, PDFs and e-mails."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from arms.accounts.names import person_name


def user(username="u1", first="", last=""):
    return get_user_model()(username=username, first_name=first, last_name=last)


def test_a_chinese_name_is_family_name_first_without_a_space():
    assert person_name(user(first="磊", last="陈")) == "陈磊"
    assert person_name(user(first="欧阳", last="司马")) == "司马欧阳"  # two-character names too
    assert person_name(user(first="丽", last="")) == "丽"


def test_a_western_name_is_given_name_first():
    assert person_name(user(first="Anna", last="Smith")) == "Anna Smith"
    assert person_name(user(first=" Anna ", last="")) == "Anna"


def test_without_a_name_the_username_and_for_nobody_nothing():
    assert person_name(user(username="clerk")) == "clerk"
    assert person_name(None) == ""
    assert person_name(AnonymousUser()) == ""
