"""The integrity commands: `arms ledger check`, `arms audit verify`, `arms token create`.

A failing check is a CommandError, which `arms` turns into "CommandError: ..." on stderr and exit status 1.
"""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from arms.accounts.services import token_authenticate
from arms.ledger import services
from arms.ledger.models import Account, Invoice, JournalEntry, JournalLine, Payment
from arms.ledger.services.allocations import AllocationRequest
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(clerk, customer):
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=50_000, actor=clerk)
    services.payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, 30_000)],
                              on=date(2026, 2, 1))
    return {"invoice": invoice, "payment": payment, "customer": customer}


def run(*args) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) the way `arms` would end."""
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_ledger_check_passes_on_sound_books(books):
    status, out, _err = run("ledger", "check")
    assert status == 0
    lines = out.splitlines()
    # the ledger's fifteen (documents, control accounts, revenue, VAT, entries, write-offs) and provisioning's
    # allowance check (registered on the ledger.checks hook)
    assert len(lines) == 16
    assert any("allowance_runs_and_write_offs" in line for line in lines)
    assert all("ok" in line and "FAIL" not in line for line in lines)
    assert any("receivables_control" in line for line in lines)


def test_ledger_check_names_the_check_and_the_row_after_a_tamper(books):
    invoice = books["invoice"]
    with connection.cursor() as cursor:  # the open amount is wrong; the journal itself is intact
        cursor.execute("UPDATE ledger_invoice SET amount_open_minor = 80000 WHERE id = %s", [invoice.pk])

    status, out, message = run("ledger", "check")

    assert status == 1
    assert message == "1 ledger check(s) failed: invoice_open_amount"
    [fail, row] = [line for line in out.splitlines() if "FAIL" in line or "INV-000001" in line]
    assert "invoice_open_amount" in fail
    assert "'amount_open_minor': 80000" in row and "'allocated': 30000" in row


def test_ledger_check_json_lists_every_failed_check_with_its_rows(books):
    Payment.objects.filter(pk=books["payment"].pk).update(amount_unallocated_minor=50_000)
    status, out, message = run("ledger", "check", "--json")
    assert status == 1
    report = json.loads(out)
    assert report["ok"] is False
    failed = {check["code"]: check["rows"] for check in report["checks"] if not check["ok"]}
    # the payment no longer ties to its allocations (2203 is reconciled from the allocations, so it still ties)
    assert list(failed) == ["payment_unallocated_amount"]
    [row] = failed["payment_unallocated_amount"]
    assert (row["number"], row["amount_unallocated_minor"], row["allocated"]) == ("RCV-000001", 50_000, 30_000)
    assert message == "1 ledger check(s) failed: payment_unallocated_amount"


def test_a_line_added_to_a_posted_entry_is_refused_by_the_database(books):
    """Before the tamper triggers this line made an unbalanced entry that the check found; now the database refuses
    it (tests/audit/test_tamper.py shows the check and the seals finding it with the triggers off)."""
    customer = books["customer"]
    entry = JournalEntry.objects.get(invoice=books["invoice"], kind="invoice")
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalLine.objects.create(entry=entry, account=Account.objects.get(code="1122"), customer=customer,
                                   debit_minor=1)
    status, _out, _message = run("ledger", "check", "--json")
    assert status == 0


def test_ledger_check_finds_a_document_without_its_entry(books, customer):
    """An invoice inserted around invoice_post has no journal entry and breaks the control account."""
    Invoice.objects.create(company=customer.company, customer=customer, number="INV-ROGUE", issue_date=date(2026, 1, 1),
                           due_date=date(2026, 1, 31), currency="CNY", net_minor=100, tax_minor=0, gross_minor=100,
                           amount_open_minor=100, gross_base_minor=100, net_base_minor=100, tax_base_minor=0)
    status, out, _message = run("ledger", "check", "--json")
    failed = {check["code"]: check["rows"] for check in json.loads(out)["checks"] if not check["ok"]}
    assert status == 1
    assert sorted(failed) == ["document_posted", "receivables_control", "revenue_control"]
    assert failed["document_posted"][0]["number"] == "INV-ROGUE"


def test_audit_verify_passes_on_an_intact_chain(books):
    assert run("audit", "verify") == (
        0, "audit chain intact: 3 events verified\naudit batches: 0 audit batches (sub-chains of bulk writes) checked\n"
        "journal: 3 journal entries match their seals\n", "")


def test_audit_verify_names_the_tampered_event(books):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_name = 'nobody' WHERE seq = 2")
    status, _out, message = run("audit", "verify")
    assert status == 1
    assert message == ("audit chain broken at event 2: content was altered: its hash does not match "
                       "(1 events before it verified)")


def test_token_create_prints_a_token_that_authenticates(clerk):
    status, out, err = run("token", "create", "--user", "clerk", "--name", "erp")
    secret = out.strip()
    assert status == 0
    assert secret.startswith("arms_") and len(secret) > 40
    assert "only this once" in err
    assert token_authenticate(secret) == clerk
    assert token_authenticate(secret + "x") is None

    status, _out, _err = run("token", "revoke", secret[:12])
    assert status == 0
    assert token_authenticate(secret) is None


def test_token_create_refuses_an_unknown_or_missing_user(db):
    assert run("token", "create", "--user", "ghost") == (1, "", "no user named ghost")
    assert run("token", "create") == (1, "", "--user is required")
