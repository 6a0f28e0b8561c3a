"""The hand-over pages: open one from the form, see the frozen list, acknowledge, download; the key-account flag on
the customer page; refusals shown beside the field."""

from __future__ import annotations

from django.urls import reverse

from arms.handover.models import Handover
from arms.handover.services import handover_open


def test_open_from_the_form_then_both_acknowledge_on_the_page(client, book, today):
    client.force_login(book.clerk)
    response = client.post(reverse("handover:new"), {
        "role": "collector", "from_user": book.old.pk, "to_user": book.old.pk, "customers": "",
        "effective_on": today.isoformat(), "reason": ""})
    assert response.status_code == 400 and "error-to_user" in response.content.decode()
    response = client.post(reverse("handover:new"), {
        "role": "collector", "from_user": book.old.pk, "to_user": book.new.pk, "customers": "HC1 NOPE",
        "effective_on": today.isoformat(), "reason": ""})
    assert response.status_code == 400 and "NOPE" in response.content.decode()
    assert Handover.objects.count() == 0
    response = client.post(reverse("handover:new"), {
        "role": "collector", "from_user": book.old.pk, "to_user": book.new.pk, "customers": "HC1, HC2",
        "effective_on": today.isoformat(), "reason": "离职"})
    handover = Handover.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("handover:detail", args=[handover.pk])

    page = client.get(reverse("handover:detail", args=[handover.pk])).content.decode()
    assert "HINV-3" in page and handover.sha256 in page and 'id="acknowledge-form"' not in page
    client.force_login(book.old)
    page = client.get(reverse("handover:detail", args=[handover.pk])).content.decode()
    assert 'id="acknowledge-form"' in page
    client.post(reverse("handover:acknowledge", args=[handover.pk]), {"note": "好"})
    client.force_login(book.new)
    client.post(reverse("handover:acknowledge", args=[handover.pk]), {"note": "收到"})
    handover.refresh_from_db()
    assert handover.status == "completed"
    for name in ("handover:pdf", "handover:xlsx"):
        download = client.get(reverse(name, args=[handover.pk]))
        assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("handover:home")).status_code == 200
    assert client.get(reverse("handover:key_accounts")).status_code == 200


def test_the_key_account_flag_on_the_customer_page(client, book):
    client.force_login(book.finmgr)
    page = client.get(reverse("web:customer_detail", args=[book.c1.pk])).content.decode()
    assert 'id="key-account-form"' in page
    client.post(reverse("handover:key_account_set", args=[book.c1.pk]), {"key_account": "on"})
    book.c1.refresh_from_db()
    assert book.c1.key_account is True
    client.force_login(book.clerk)
    assert client.post(reverse("handover:key_account_set", args=[book.c1.pk]), {}).status_code == 403


def test_a_salesperson_sees_only_their_own_hand_overs(client, book):
    handover = handover_open(actor=book.clerk, role="collector", from_user=book.old, to_user=book.new)
    client.force_login(book.sales)
    assert client.get(reverse("handover:detail", args=[handover.pk])).status_code == 403
