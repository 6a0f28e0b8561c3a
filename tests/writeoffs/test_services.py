"""Write-off requests: asked with evidence and the collection record frozen, signed by three different people
(none the requester), posted through the ledger on the last sign-off; every refusal names its field and writes
nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from arms.audit.models import AuditEvent
from arms.cases.services import activity_record
from arms.common.errors import ArmsError
from arms.common.models import Attachment
from arms.ledger.models import Invoice, WriteOff
from arms.ledger.services.writeoffs import payment_apply_to_written_off
from arms.writeoffs import services
from arms.writeoffs.models import WriteOffRequest, WriteOffSignOff
from arms.writeoffs.services import EvidenceIn, ItemIn
from tests import factories
from tests.conftest import ledger_problems
from tests.ledger.helpers import account_balances, ledger_state

pytestmark = pytest.mark.django_db

RULING = EvidenceIn("bankruptcy", "破产裁定书.pdf", b"%PDF-1.4 ruling", "（2026）沪03破12号")


def state() -> dict:
    return {"ledger": ledger_state(), "requests": list(WriteOffRequest.objects.values_list("pk", "status")),
            "sign_offs": WriteOffSignOff.objects.count(), "attachments": Attachment.objects.count(),
            "events": AuditEvent.objects.count()}


def refused(call, *, code: str, field: str | None) -> ArmsError:
    before = state()
    with pytest.raises(ArmsError) as caught:
        call()
    assert (caught.value.code, caught.value.field) == (code, field)
    assert state() == before
    return caught.value


def ask(people, debtor, *, items=None, **kw):
    if items is None:
        items = [ItemIn(debtor["first"].pk, 11_300_000), ItemIn(debtor["second"].pk, 2_000_000)]
    kw.setdefault("evidence", [RULING])
    return services.write_off_request_create(actor=kw.pop("actor", people["collector"]), customer=debtor["customer"],
                                             reason=kw.pop("reason", "bankruptcy"), note=kw.pop("note", "破产终结"),
                                             items=items, **kw)


def sign_all(people, request, roles=("finance", "legal", "auditor")):
    for who in roles:
        services.write_off_request_sign(actor=people[who], request=request)
    request.refresh_from_db()
    return request


def test_a_request_freezes_the_collection_record_and_tells_the_signers(people, debtor, today):
    activity_record(customer=debtor["customer"], kind="call", note="催款电话：对方称已停业", actor=people["collector"])
    request = ask(people, debtor)
    assert (request.number, request.status, request.total_base_minor) == ("WR-000001", "pending", 13_300_000)
    assert request.needs_executive is False  # 133,000.00 is below the default 500,000.00
    record = json.loads(bytes(request.collection_record.content))
    assert [a["note"] for a in record["activities"]] == ["催款电话：对方称已停业"]
    assert [i["number"] for i in record["invoices"]] == [debtor["first"].number, debtor["second"].number]
    assert request.evidence.get().name == "破产裁定书.pdf"
    told = set(people["finance"].notifications.values_list("kind", flat=True))
    assert told == {"writeoffs.sign"}
    assert not people["collector"].notifications.exists()
    assert AuditEvent.objects.get(action="write_off_requested").after["collection_record_sha256"] == \
        request.collection_record_sha256


def test_three_different_people_sign_and_the_last_posts_the_write_offs(people, debtor):
    request = ask(people, debtor)
    services.write_off_request_sign(actor=people["finance"], request=request)
    services.write_off_request_sign(actor=people["legal"], request=request)
    assert not WriteOff.objects.exists()
    services.write_off_request_sign(actor=people["auditor"], request=request, note="证据齐全")
    request.refresh_from_db()
    assert request.status == "posted"
    first, second = (Invoice.objects.get(pk=debtor[k].pk) for k in ("first", "second"))
    assert (first.amount_open_minor, second.amount_open_minor) == (0, 3_650_000)
    assert sorted(WriteOff.objects.values_list("amount_minor", "account", "reference")) == [
        (2_000_000, "1231", "WR-000001"), (11_300_000, "1231", "WR-000001")]
    assert account_balances(debtor["customer"])["1231"] == 13_300_000
    assert sorted(request.items.values_list("write_off__amount_minor", flat=True)) == [2_000_000, 11_300_000]
    assert people["collector"].notifications.filter(kind="writeoffs.posted").exists()
    assert ledger_problems() == {}


def test_the_requester_may_not_sign_and_nobody_signs_twice(people, debtor):
    request = ask(people, debtor, actor=people["finance"])
    refused(lambda: services.write_off_request_sign(actor=people["finance"], request=request),
            code="four_eyes", field=None)
    services.write_off_request_sign(actor=people["legal"], request=request)
    both = factories.user("both")
    both.groups.add(*people["legal"].groups.all(), *people["auditor"].groups.all())
    services.write_off_request_sign(actor=both, request=request, role="audit")
    refused(lambda: services.write_off_request_sign(actor=both, request=request, role="finance"),
            code="four_eyes", field=None)


def test_a_second_signer_in_the_same_role_is_refused(people, debtor):
    request = ask(people, debtor)
    services.write_off_request_sign(actor=people["finance"], request=request)
    refused(lambda: services.write_off_request_sign(actor=people["finance2"], request=request, role="finance"),
            code="conflict", field="role")


def test_signing_in_a_role_one_does_not_hold_is_refused(people, debtor):
    request = ask(people, debtor)
    refused(lambda: services.write_off_request_sign(actor=people["legal"], request=request, role="audit"),
            code="forbidden", field="role")
    refused(lambda: services.write_off_request_sign(actor=people["clerk"], request=request),
            code="invalid", field="role")
    refused(lambda: services.write_off_request_sign(actor=people["executive"], request=request, role="executive"),
            code="invalid", field="role")  # not needed below the amount


def test_a_large_request_also_needs_an_executive(people, debtor, company):
    services.write_off_settings_set(actor=people["finance"], company=company, executive_above_minor=10_000_000)
    request = ask(people, debtor)
    assert request.needs_executive
    request = sign_all(people, request)
    assert request.status == "pending"
    assert people["executive"].notifications.filter(kind="writeoffs.sign").exists()
    request = sign_all(people, request, roles=("executive",))
    assert request.status == "posted"


def test_evidence_is_needed_before_signing_for_a_bankruptcy_but_not_for_an_expired_limitation(people, debtor):
    request = ask(people, debtor, evidence=[])
    refused(lambda: services.write_off_request_sign(actor=people["finance"], request=request),
            code="invalid", field="evidence")
    services.write_off_evidence_add(actor=people["collector"], request=request, kind="bankruptcy",
                                    name="裁定.pdf", content=b"%PDF ruling")
    services.write_off_request_sign(actor=people["finance"], request=request)
    expired = ask(people, {**debtor}, items=[ItemIn(debtor["second"].pk, 1_000)], reason="limitation_expired",
                  evidence=[])
    services.write_off_request_sign(actor=people["finance"], request=expired)


def test_an_item_paid_meanwhile_stops_the_posting_and_nothing_is_signed(people, debtor):
    request = ask(people, debtor)
    sign_all(people, request, roles=("finance", "legal"))
    payment = factories.payment(debtor["customer"], amount=5_000_000, received=debtor["second"].issue_date)
    payment_apply_to_written_off(actor=None, payment=payment, invoice=debtor["second"], amount_minor=5_000_000)
    error = refused(lambda: services.write_off_request_sign(actor=people["auditor"], request=request),
                    code="conflict", field="items[1].invoice_id")
    assert debtor["second"].number in error.message


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"items": [ItemIn(0, 100)]}, "invalid", "items[0].invoice_id"),
    ({"items": []}, "invalid", "items"),
    ({"reason": "tired"}, "invalid", "reason"),
    ({"reason": "other", "note": ""}, "invalid", "note"),
    ({"evidence": [EvidenceIn("collection_record", "x.pdf", b"x")]}, "invalid", "evidence[0].kind"),
    ({"evidence": [EvidenceIn("judgment", "x.pdf", b"")]}, "invalid", "evidence[0].content"),
])
def test_bad_requests_name_the_field_and_write_nothing(people, debtor, change, code, field):
    refused(lambda: ask(people, debtor, **change), code=code, field=field)


def test_more_than_is_open_or_an_invoice_twice_is_refused(people, debtor):
    first = debtor["first"].pk
    refused(lambda: ask(people, debtor, items=[ItemIn(first, 11_300_001)]), code="invalid",
            field="items[0].amount_minor")
    refused(lambda: ask(people, debtor, items=[ItemIn(first, 0)]), code="invalid", field="items[0].amount_minor")
    refused(lambda: ask(people, debtor, items=[ItemIn(first, 1), ItemIn(first, 2)]), code="invalid",
            field="items[1].invoice_id")
    other = factories.invoice(factories.customer())
    refused(lambda: ask(people, debtor, items=[ItemIn(other.pk, 1)]), code="invalid", field="items[0].invoice_id")


def test_the_whole_balance_takes_every_open_invoice_at_its_open_amount(people, debtor):
    request = ask(people, debtor, items=[], whole_balance=True)
    assert sorted(request.items.values_list("amount_minor", flat=True)) == [5_650_000, 11_300_000]


def test_reject_and_withdraw(people, debtor):
    request = ask(people, debtor)
    refused(lambda: services.write_off_request_reject(actor=people["legal"], request=request, reason=" "),
            code="invalid", field="reason")
    refused(lambda: services.write_off_request_reject(actor=people["clerk"], request=request, reason="不同意"),
            code="forbidden", field=None)
    services.write_off_request_reject(actor=people["legal"], request=request, reason="仍有可执行财产")
    request.refresh_from_db()
    assert (request.status, request.decision_note) == ("rejected", "仍有可执行财产")
    refused(lambda: services.write_off_request_sign(actor=people["finance"], request=request),
            code="conflict", field="status")
    other = ask(people, debtor)
    refused(lambda: services.write_off_request_withdraw(actor=people["finance"], request=other),
            code="forbidden", field=None)
    services.write_off_request_withdraw(actor=people["collector"], request=other, reason="客户恢复付款")
    assert WriteOffRequest.objects.get(pk=other.pk).status == "withdrawn"


def test_the_tax_filing_is_recorded_once_after_posting(people, debtor, today):
    request = ask(people, debtor)
    refused(lambda: services.write_off_tax_filing_record(actor=people["clerk"], request=request, filed_on=today,
                                                         reference="备案-1"), code="conflict", field="status")
    request = sign_all(people, request)
    refused(lambda: services.write_off_tax_filing_record(actor=people["clerk"], request=request,
                                                         filed_on=today - timedelta(days=1), reference="备案-1"),
            code="invalid", field="filed_on")
    refused(lambda: services.write_off_tax_filing_record(actor=people["clerk"], request=request, filed_on=today,
                                                         reference=""), code="invalid", field="reference")
    services.write_off_tax_filing_record(actor=people["clerk"], request=request, filed_on=today,
                                         reference="沪税备2026-88", file_name="回执.pdf", content=b"%PDF receipt")
    request.refresh_from_db()
    assert (request.tax_filed_on, request.tax_reference, request.tax_file_name) == (today, "沪税备2026-88", "回执.pdf")
    refused(lambda: services.write_off_tax_filing_record(actor=people["clerk"], request=request, filed_on=today,
                                                         reference="again"), code="conflict", field="filed_on")


def test_money_for_a_written_off_invoice_recovers_then_settles_it(people, debtor, today):
    request = sign_all(people, ask(people, debtor))
    second = Invoice.objects.get(pk=debtor["second"].pk)  # 56,500.00: 20,000.00 written off, 36,500.00 open
    payment = factories.payment(debtor["customer"], amount=4_000_000, received=today)
    recoveries, allocations = payment_apply_to_written_off(actor=people["clerk"], payment=payment, invoice=second,
                                                           amount_minor=4_000_000)
    assert [r.amount_minor for r in recoveries] == [-350_000]  # 40,000.00 less the 36,500.00 open
    assert [a.amount_minor for a in allocations] == [4_000_000]
    assert Invoice.objects.get(pk=second.pk).amount_open_minor == 0
    assert account_balances(debtor["customer"])["1231"] == 13_300_000 - 350_000
    assert request.items.get(invoice=second).write_off.allocations.count() == 2
    assert ledger_problems() == {}
