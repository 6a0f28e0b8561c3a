"""The one rule for who is recorded as having acted: a signed-in user, else nobody (the system, an anonymous request,
or a portal contact, whose name the audit event carries instead)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from arms.audit.services import ExternalActor
from arms.common.actors import user_or_none
from tests import factories


@pytest.mark.django_db
def test_only_a_signed_in_user_is_recorded():
    clerk = factories.user("who-clerk", role="finance_clerk")
    assert user_or_none(clerk) == clerk
    assert [user_or_none(a) for a in (None, AnonymousUser(), ExternalActor(kind="portal", name="王会计"))] == [
        None, None, None]
