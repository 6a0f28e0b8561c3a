"""Absolute links start with ARMS_BASE_URL; e-mail without a server is written as .eml files a mail client opens."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest
from django.core.mail import EmailMessage, get_connection

from arms.common.links import absolute_url


@pytest.mark.parametrize(("base", "path", "expected"), [
    ("https://ar.example.cn", "/reports/monthly/", "https://ar.example.cn/reports/monthly/"),
    ("http://127.0.0.1:8102/", "/credit/1/", "http://127.0.0.1:8102/credit/1/"),
    ("https://example.cn/arms", "customers/2/", "https://example.cn/arms/customers/2/"),
    ("https://ar.example.cn", "https://elsewhere.example/x", "https://elsewhere.example/x"),
])
def test_absolute_url_puts_the_path_on_the_configured_base(settings, base, path, expected):
    settings.ARMS_BASE_URL = base

    assert absolute_url(path) == expected


def test_each_message_is_written_as_its_own_eml_file_with_its_attachment(tmp_path):
    connection = get_connection("arms.common.mail.EmlFileBackend", file_path=tmp_path / "mail")
    letter = EmailMessage(subject="催款函 C0001", body="请于七日内付款。", from_email="ar@example.cn",
                          to=["buyer@example.cn"], connection=connection)
    letter.attach("催款函.pdf", b"%PDF-1.7 demo", "application/pdf")
    reminder = EmailMessage(subject="付款提醒", body="发票即将到期。", from_email="ar@example.cn",
                            to=["other@example.cn"], connection=connection)

    assert connection.send_messages([letter, reminder]) == 2

    files = sorted((tmp_path / "mail").iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]
    parsed = [BytesParser(policy=policy.default).parsebytes(f.read_bytes()) for f in files]
    by_subject = {message["Subject"]: message for message in parsed}
    assert sorted(by_subject) == sorted(["催款函 C0001", "付款提醒"])
    opened = by_subject["催款函 C0001"]
    assert opened["To"] == "buyer@example.cn"
    assert opened.get_body(("plain",)).get_content().strip() == "请于七日内付款。"
    [attachment] = list(opened.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content()) == ("催款函.pdf", b"%PDF-1.7 demo")


def test_a_message_without_recipients_writes_nothing(tmp_path):
    connection = get_connection("arms.common.mail.EmlFileBackend", file_path=tmp_path)

    assert connection.send_messages([EmailMessage(subject="x", body="y", to=[])]) == 0
    assert list(tmp_path.iterdir()) == []
