"""The one Message-ID: unique, and what a receiver parses is what ARMS stored once the folding
whitespace RFC 5322 allows before it is stripped (a long sender domain folds the header)."""

from __future__ import annotations

from email import message_from_bytes

from django.core.mail import EmailMessage
from django.test import override_settings

from arms.common.mail import mail_domain, new_message_id


@override_settings(DEFAULT_FROM_EMAIL="应收账款 <ar@finance.example-long-company-name.com.cn>")
def test_message_id_is_unique_and_survives_a_round_trip_unfolded():
    ids = {new_message_id("confirmation1234567") for _ in range(200)}
    assert len(ids) == 200
    for message_id in list(ids)[:20]:
        mail = EmailMessage("s", "b", "ar@finance.example-long-company-name.com.cn", ["a@b.example"],
                            headers={"Message-ID": message_id})
        raw = mail.message().as_bytes()
        received = message_from_bytes(raw)["Message-ID"]
        assert received.strip() == message_id  # folded before the id (RFC 5322 CFWS), never inside it
    assert mail_domain() == "finance.example-long-company-name.com.cn"


@override_settings(DEFAULT_FROM_EMAIL="arms")
def test_message_id_without_a_domain_in_the_sender_uses_localhost():
    assert new_message_id("dunning7").endswith("@localhost>")
