from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from arms.writeoffs.services import EvidenceIn, ItemIn, write_off_request_create, write_off_request_sign

pytestmark = pytest.mark.django_db


def test_arms_writeoffs_list(people, debtor):
    request = write_off_request_create(actor=people["collector"], customer=debtor["customer"], reason="bankruptcy",
                                       items=[ItemIn(debtor["first"].pk, 11_300_000)],
                                       evidence=[EvidenceIn("bankruptcy", "r.pdf", b"%PDF")])
    for who in ("finance", "legal", "auditor"):
        write_off_request_sign(actor=people[who], request=request)
    out = StringIO()
    call_command("writeoffs", "list", "--not-filed", stdout=out)
    assert out.getvalue().split("\t")[:6] == ["WR-000001", "D1", "bankruptcy", "posted", "113,000.00", "113,000.00"]
    out = StringIO()
    call_command("writeoffs", "list", "--status", "pending", stdout=out)
    assert out.getvalue() == ""
    with pytest.raises(CommandError):
        call_command("writeoffs", "list", "--customer", "NOPE")
