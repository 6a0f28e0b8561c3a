"""The cash-application API through HTTP: match, list, look at one line, accept, apply, ignore, reset, aliases; every
bad input refused naming the field, with nothing written; roles respected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.audit.models import AuditEvent
from arms.bank.enums import AliasKind, LineStatus
from arms.bank.models import LineApplication, PayerAlias, StatementLine
from arms.cases.models import Task
from arms.common.jobs import Job
from arms.ledger.models import Allocation, JournalEntry, Payment
from tests import factories
from tests.api.conftest import Api, assert_error
from tests.bank.cash.conftest import statement_line
from tests.conftest import ledger_problems


@pytest.fixture
def clerk_api(clerk):
    return Api(clerk)


@pytest.fixture
def auditor_api(db):
    return Api(factories.user("auditor", role="auditor"))


@pytest.fixture
def books(account, today):
    """A customer with two invoices, a line that matches one, one nobody can place, one already applied."""
    issued, booked = today - timedelta(days=30), today - timedelta(days=1)
    customer = factories.customer(name="杭州星河化工有限公司")
    other = factories.customer(name="宁波海天塑料有限公司")
    first = factories.invoice(customer, net=100_000, tax=13_000, issued=issued, number="INV-A-1")
    second = factories.invoice(customer, net=200_000, tax=26_000, issued=issued, number="INV-A-2")
    foreign = factories.invoice(other, net=10_000, tax=1_300, issued=issued, number="INV-B-1")
    suggested = statement_line(account, amount=113_000, on=booked, payer="杭州星河化工有限公司", reference="L-1")
    nobody = statement_line(account, amount=50_000, on=booked, payer="某某", payer_account="6222", reference="L-2")
    out = statement_line(account, amount=-8_000, on=booked, payer="供应商", reference="L-3")
    from arms.bank.services.matching import match_lines

    match_lines(actor=None, auto=False)
    return {"customer": customer.pk, "other": other.pk, "first": first.pk, "second": second.pk,
            "foreign": foreign.pk, "suggested": suggested.pk, "nobody": nobody.pk, "out": out.pk}


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in (
        Payment, Allocation, JournalEntry, AuditEvent, PayerAlias, LineApplication, Task, Job)} | {
        "lines": sorted(StatementLine.objects.values_list("pk", "status", "payment_id", "note"))}


def test_list_filter_and_detail_of_lines(clerk_api, books):
    page = clerk_api.get("/cash/lines", {"status": "suggested"}).json()
    assert page["count"] == 1 and page["items"][0]["bank_reference"] == "L-1"
    assert page["items"][0]["amount"] == "1,130.00"
    everything = clerk_api.get("/cash/lines", {"limit": 2}).json()
    assert everything["count"] == 3 and len(everything["items"]) == 2

    detail = clerk_api.get(f"/cash/lines/{books['suggested']}").json()
    assert detail["customer_id"] == books["customer"] and detail["confidence"] == 85
    assert detail["suggested_allocations"] == [
        {"invoice_id": books["first"], "invoice_number": "INV-A-1", "amount_minor": 113_000}]
    assert [r["code"] for r in detail["reasons"]] == ["name", "one_item"]


def test_accept_applies_the_suggestion_and_learns(clerk_api, books):
    response = clerk_api.post(f"/cash/lines/{books['suggested']}/accept")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == LineStatus.MANUAL and body["payment_id"]
    assert Payment.objects.get(pk=body["payment_id"]).amount_unallocated_minor == 0
    assert ledger_problems() == {}
    # the same again: a clear refusal
    assert_error(clerk_api.post(f"/cash/lines/{books['suggested']}/accept"), 409, "line_already_applied", "line")


def test_apply_with_a_split_and_a_charge_then_reset(clerk_api, books):
    body = {"shares": [
        {"customer_id": books["customer"], "allocations": [{"invoice_id": books["first"], "amount_minor": 40_000}],
         "charge_minor": 0, "amount_minor": 40_000},
        {"customer_id": books["other"], "allocations": [{"invoice_id": books["foreign"], "amount_minor": 10_000}],
         "charge_minor": 1_300},
    ], "note": "两家合付"}
    response = clerk_api.post(f"/cash/lines/{books['nobody']}/apply", body)
    assert response.status_code == 200, response.content
    detail = response.json()
    assert detail["status"] == "manual" and len(detail["shares"]) == 2
    charged = clerk_api.get(f"/payments/{detail['shares'][1]['payment_id']}").json()
    assert (charged["amount_minor"], charged["charge_minor"]) == (11_300, 1_300)  # the bank got 100.00 of it
    assert ledger_problems() == {}

    response = clerk_api.post(f"/cash/lines/{books['nobody']}/reset", {"reason": "分错了"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "unmatched" and response.json()["shares"] == []
    assert ledger_problems() == {}


def test_ignore_and_the_alias_list(clerk_api, books, company):
    response = clerk_api.post(f"/cash/lines/{books['nobody']}/ignore", {"kind": "refund", "note": "押金"})
    assert response.status_code == 200 and response.json()["ignored_kind"] == "refund"
    customer = factories.customer(name="别的客户")
    alias = PayerAlias.objects.create(company=company, customer=customer, kind=AliasKind.ACCOUNT, value="6222",
                                      key="6222")
    page = clerk_api.get("/cash/aliases", {"customer_id": customer.pk}).json()
    assert [(a["id"], a["customer_code"], a["value"]) for a in page["items"]] == [(alias.pk, customer.code, "6222")]
    assert clerk_api.client.delete(f"/api/v1/cash/aliases/{alias.pk}",
                                   headers=clerk_api._headers(None)).status_code == 204
    assert not PayerAlias.objects.exists()
    assert AuditEvent.objects.filter(action="payer_alias_removed").count() == 1


def test_match_a_few_lines_inline_and_many_in_a_job(clerk_api, books):
    response = clerk_api.post("/cash/match", {"line_ids": [books["suggested"]]})
    assert response.status_code == 200, response.content
    assert response.json() == {"lines": 1, "auto_applied": 1, "suggested": 0, "unmatched": 0, "ignored": 0}
    response = clerk_api.post("/cash/match", {})
    assert response.status_code == 202 and response["Location"].startswith("/api/v1/jobs/")
    assert response.json()["kind"] == "cash.match"


BAD = [
    ("match: line_ids not a list", "post", "/cash/match", {"line_ids": "x"}, (422, "invalid", "line_ids")),
    ("match: unknown line", "post", "/cash/match", {"line_ids": [987654]}, (422, "invalid", "line_ids")),
    ("match: unknown account", "post", "/cash/match", {"account_id": 987654}, (422, "invalid", "account_id")),
    ("match: date", "post", "/cash/match", {"date": "9999-01-01"}, (422, "invalid", "date")),
    ("match: unknown field", "post", "/cash/match", {"everything": True}, (422, "invalid", "everything")),
    ("lines: status", "get", "/cash/lines", {"status": "paid"}, (422, "invalid", "status")),
    ("lines: date range", "get", "/cash/lines", {"date_from": "2026-02-01", "date_to": "2026-01-01"},
     (422, "invalid", "date_to")),
    ("lines: unknown parameter", "get", "/cash/lines", {"customer": "1"}, (422, "unknown_parameter", "customer")),
    ("detail: no such line", "get", "/cash/lines/987654", None, (404, "not_found", "line_id")),
    ("accept: nothing to accept", "post", "/cash/lines/{nobody}/accept", None, (409, "no_suggestion", "line")),
    ("accept: money out", "post", "/cash/lines/{out}/accept", None, (422, "line_not_receipt", "line")),
    ("apply: no shares", "post", "/cash/lines/{nobody}/apply", {"shares": []}, (422, "invalid", "shares")),
    ("apply: no customer", "post", "/cash/lines/{nobody}/apply", {"shares": [{"customer_id": 987654}]},
     (422, "invalid", "shares[0].customer_id")),
    ("apply: float amount", "post", "/cash/lines/{nobody}/apply",
     {"shares": [{"customer_id": "{customer}", "allocations": [{"invoice_id": "{first}", "amount_minor": 1.5}]}]},
     (422, "invalid", "shares[0].allocations[0].amount_minor")),
    ("apply: more than the line", "post", "/cash/lines/{nobody}/apply",
     {"shares": [{"customer_id": "{customer}", "amount_minor": 60_000}]}, (422, "shares_do_not_fit", "shares")),
    ("apply: another's invoice", "post", "/cash/lines/{nobody}/apply",
     {"shares": [{"customer_id": "{customer}", "allocations": [{"invoice_id": "{foreign}", "amount_minor": 100}]}]},
     (422, "invalid", "shares[0].allocations[0].invoice_id")),
    ("apply: more than open", "post", "/cash/lines/{suggested}/apply",
     {"shares": [{"customer_id": "{customer}", "allocations": [{"invoice_id": "{first}", "amount_minor": 113_000}],
                  "charge_minor": 10}]}, (422, "shares_do_not_fit", "shares[0].charge_minor")),
    ("apply: money out", "post", "/cash/lines/{out}/apply", {"shares": [{"customer_id": "{customer}"}]},
     (422, "line_not_receipt", "line")),
    ("apply: note too long", "post", "/cash/lines/{nobody}/apply",
     {"shares": [{"customer_id": "{customer}"}], "note": "x" * 501}, (422, "invalid", "note")),
    ("ignore: kind", "post", "/cash/lines/{nobody}/ignore", {"kind": "gift"}, (422, "invalid", "kind")),
    ("ignore: empty kind", "post", "/cash/lines/{nobody}/ignore", {"kind": ""}, (422, "invalid", "kind")),
    ("reset: no reason", "post", "/cash/lines/{suggested}/reset", {"reason": ""}, (422, "invalid", "reason")),
    ("reset: nothing applied", "post", "/cash/lines/{suggested}/reset", {"reason": "x"},
     (409, "line_not_applied", "line")),
    ("aliases: kind", "get", "/cash/aliases", {"kind": "phone"}, (422, "invalid", "kind")),
    ("aliases: forget unknown", "delete", "/cash/aliases/987654", None, (404, "not_found", "alias_id")),
]


def _fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


@pytest.mark.parametrize(("method", "path", "body", "expected"), [case[1:] for case in BAD],
                         ids=[case[0] for case in BAD])
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(clerk_api, books, method, path, body, expected):
    before = _counts()
    url = path.format(**books)
    if method == "get":
        response = clerk_api.get(url, body)
    elif method == "delete":
        response = clerk_api.client.delete("/api/v1" + url, headers=clerk_api._headers(None))
    else:
        response = clerk_api.post(url, _fill(body, books))
    assert_error(response, *expected)
    assert _counts() == before


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/cash/match", {}),
    ("post", "/cash/lines/{suggested}/accept", None),
    ("post", "/cash/lines/{nobody}/ignore", {"kind": "other"}),
    ("post", "/cash/lines/{suggested}/reset", {"reason": "x"}),
])
def test_an_auditor_reads_but_cannot_apply(auditor_api, books, method, path, body):
    assert auditor_api.get("/cash/lines").status_code == 200
    before = _counts()
    assert_error(getattr(auditor_api, method)(path.format(**books), body), 403, "forbidden", None)
    assert _counts() == before
