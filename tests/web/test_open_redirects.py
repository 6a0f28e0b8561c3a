"""Every view that reads ``next`` goes through arms.web.shortcuts.safe_next: a ``next`` pointing off the site
(``//evil.example``, ``https://evil.example``, ``/\\evil.example``, ``javascript:``) is replaced by the view's
own page, and a ``next`` on the site is followed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from arms.web.shortcuts import safe_next
from tests import factories

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "arms"
HOSTILE = ["//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil.example", "http:evil.example",
           "javascript:alert(1)", " //evil.example", "https://evil.example/collections/"]


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_refuses_other_sites(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, "web:home") == reverse("web:home")


def test_safe_next_follows_a_path_on_the_site():
    request = RequestFactory().post("/x/", {"next": "/collections/?page=2"})
    assert safe_next(request, "web:home") == "/collections/?page=2"


def test_no_view_reads_next_but_through_safe_next():
    readers = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name == "shortcuts.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value == "next":
                readers.append(str(path.relative_to(SRC)))
    assert readers == []


@pytest.fixture
def manager():
    return factories.user("fm-next", superuser=True)


def _views(manager):
    """(url, post data) for every view that reads next, each with the data it needs."""
    from arms.cases.models import Task
    from arms.dunning.models import DunningAction, DunningEmail, DunningRun, DunningStage
    from arms.dunning.services import policy_ensure_default
    from arms.exposure.models import CreditHold, CreditOverride

    today = timezone.localdate()
    cust = factories.customer("N001")
    task = Task.objects.create(customer=cust, kind="call", title="回电", assignee=manager, due_on=today)
    hold = CreditHold.objects.create(customer=cust, reason_code="manual", note="n", placed_by=manager)
    override = CreditOverride.objects.create(customer=cust, amount_minor=300_000, currency="CNY", reason="r",
                                             requested_by=factories.user("sales-next", role="sales"))
    policy = policy_ensure_default()
    stage = DunningStage.objects.filter(policy=policy).order_by("offset_days").first()
    run = DunningRun.objects.create(as_of=today, trigger="ui", started_by=manager)
    action = DunningAction.objects.create(
        run=run, customer=cust, policy=policy, stage=stage, stage_offset=stage.offset_days, level=stage.level,
        as_of=today, currency="CNY", open_minor=40_000, interest_minor=0, penalty_minor=0, deadline=today,
        status="pending")
    email = DunningEmail.objects.create(action=action, customer=cust, to_address="ap@buyer.example.cn",
                                        language="zh-hans", subject="s", body="b", message_id="<n@arms.test>",
                                        status="failed")
    other = factories.customer("N002")
    return [
        (reverse("cases:task_complete", args=[task.pk]), {"outcome": "done"}),
        (reverse("dunning:email_retry", args=[email.pk]), {}),
        (reverse("exposure:hold_place"), {"customer": other.code, "reason_code": "manual", "note": "n"}),
        (reverse("exposure:hold_release", args=[hold.pk]), {"note": "paid"}),
        (reverse("exposure:override_approve", args=[override.pk]), {"note": "ok", "valid_days": 7}),
    ]


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example"])
def test_every_view_that_reads_next_stays_on_the_site(client, manager, target, monkeypatch):
    from arms.dunning import views as dunning_views

    monkeypatch.setattr(dunning_views, "email_send", lambda email_id: "sent")  # no SMTP server here
    client.force_login(manager)
    for url, data in _views(manager):
        response = client.post(url, {**data, "next": target})
        assert response.status_code == 302, (url, response.status_code, response.content[:300])
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), (url, location)
        assert "evil" not in location, (url, location)


def test_a_next_on_the_site_is_followed(client, manager, monkeypatch):
    from arms.dunning import views as dunning_views

    monkeypatch.setattr(dunning_views, "email_send", lambda email_id: "sent")
    client.force_login(manager)
    for url, data in _views(manager):
        response = client.post(url, {**data, "next": "/customers/?page=2"})
        assert (response.status_code, response["Location"]) == (302, "/customers/?page=2"), url
