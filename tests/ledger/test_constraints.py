"""The database is the last line of defence: writes that go around the services hit a named constraint
or a trigger, on SQLite and PostgreSQL alike."""

import json
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from arms.common.bulk import Table, reserve_ids
from arms.domain.journal import AccountCode, Line, UnbalancedEntry
from arms.ledger.enums import EntryKind
from arms.ledger.models import (
    Account,
    Allocation,
    CreditNote,
    ExchangeRate,
    Invoice,
    JournalEntry,
    JournalLine,
    Payment,
)
from arms.ledger.services import credit_note_post, payment_allocate
from arms.ledger.services.allocations import AllocationRequest
from arms.ledger.services.journal import EntrySpec, journal_write_many
from tests import factories
from tests.conftest import postgres_available
from tests.vacuum import vacuumed


@pytest.fixture
def books(db, clerk, customer):
    """One invoice (113,000 open), one payment (50,000) with 30,000 allocated, one credit note."""
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=50_000, actor=clerk)
    [allocation] = payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, 30_000)],
                                    on=date(2026, 2, 1))
    note = credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 2, 2), net_minor=1_000, tax_minor=0,
                            reason="折让")
    return {"invoice": invoice, "payment": payment, "allocation": allocation, "credit_note": note,
            "entry": JournalEntry.objects.get(invoice=invoice, kind="invoice"), "customer": customer}


def open_entry(b) -> JournalEntry:
    """A new entry without lines, so the line's own check (not the posted-entry trigger) is what refuses it."""
    return JournalEntry.objects.create(company=b["invoice"].company, customer=b["customer"], date=date(2026, 2, 3),
                                       kind="payment")


def refused_by(name: str, write) -> None:
    """``write`` raises IntegrityError naming ``name`` (a savepoint keeps the test's transaction usable)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    assert name in str(caught.value)


def invoices(books):
    return Invoice.objects.filter(pk=books["invoice"].pk)


def payments(books):
    return Payment.objects.filter(pk=books["payment"].pk)


def new_allocation(books, **fields):
    values = {"company": books["invoice"].company, "invoice": books["invoice"], "payment": books["payment"],
              "amount_minor": 100, "date": date(2026, 2, 1), "receivable_base_minor": 100, "cash_base_minor": 100}
    values.update(fields)
    return Allocation.objects.create(**values)


CHECKS = {
    "invoice_amount_open_between_0_and_gross": [
        lambda b: invoices(b).update(amount_open_minor=-1),
        lambda b: invoices(b).update(amount_open_minor=F("gross_minor") + 1),
    ],
    "invoice_gross_is_net_plus_tax": [
        lambda b: invoices(b).update(gross_minor=F("gross_minor") + 1, amount_open_minor=0),
        lambda b: invoices(b).update(tax_minor=0),
    ],
    "invoice_base_gross_is_net_plus_tax": [lambda b: invoices(b).update(tax_base_minor=0)],
    "invoice_gross_positive": [lambda b: invoices(b).update(net_minor=0, tax_minor=0, gross_minor=0,
                                                               amount_open_minor=0)],
    "invoice_parts_not_negative": [lambda b: invoices(b).update(net_minor=-1, tax_minor=F("gross_minor") + 1)],
    "invoice_due_not_before_issue": [lambda b: invoices(b).update(due_date=date(2026, 1, 9))],
    "payment_unallocated_between_0_and_amount": [
        lambda b: payments(b).update(amount_unallocated_minor=F("amount_minor") + 1),
        lambda b: payments(b).update(amount_unallocated_minor=-1),
    ],
    "payment_amount_positive": [lambda b: payments(b).update(amount_minor=0, amount_unallocated_minor=0)],
    "payment_bill_has_maturity_date": [lambda b: payments(b).update(method="bank_acceptance")],
    "payment_reversed_has_nothing_unallocated": [lambda b: payments(b).update(status="reversed")],
    "credit_note_gross_is_net_plus_tax": [
        lambda b: CreditNote.objects.filter(pk=b["credit_note"].pk).update(gross_minor=999)
    ],
    "allocation_amount_positive": [
        lambda b: new_allocation(b, amount_minor=0),
        lambda b: new_allocation(b, amount_minor=-100),
        lambda b: new_allocation(b, amount_minor=100, reverses=b["allocation"]),
    ],
    "allocation_from_exactly_one_source": [
        lambda b: new_allocation(b, credit_note=b["credit_note"]),
        lambda b: new_allocation(b, payment=None),
    ],
    "journal_line_debit_xor_credit": [
        lambda b: JournalLine.objects.create(entry=open_entry(b), account=Account.objects.get(code="1122"),
                                             customer=b["customer"], debit_minor=5, credit_minor=5),
        lambda b: JournalLine.objects.create(entry=open_entry(b), account=Account.objects.get(code="1122"),
                                             customer=b["customer"], debit_minor=0, credit_minor=0),
        lambda b: JournalLine.objects.create(entry=open_entry(b), account=Account.objects.get(code="1122"),
                                             customer=b["customer"], debit_minor=-5, credit_minor=0),
    ],
    "exchange_rate_positive": [
        lambda b: ExchangeRate.objects.create(currency="USD", date=date(2026, 1, 1), rate=0),
    ],
}


@pytest.mark.parametrize(
    ("name", "index"), [(name, index) for name, writes in CHECKS.items() for index in range(len(writes))]
)
def test_a_write_around_the_services_hits_the_named_check_constraint(books, name, index):
    refused_by(name, lambda: CHECKS[name][index](books))


def test_an_allocation_can_be_reversed_only_once(books):
    original = books["allocation"]
    new_allocation(books, amount_minor=-30_000, receivable_base_minor=-30_000, cash_base_minor=-30_000,
                   reverses=original)
    with pytest.raises(IntegrityError), transaction.atomic():
        new_allocation(books, amount_minor=-30_000, receivable_base_minor=-30_000, cash_base_minor=-30_000,
                       reverses=original)


def test_document_numbers_are_unique_per_company(books):
    invoice = books["invoice"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(
            company=invoice.company, customer=invoice.customer, number=invoice.number, issue_date=invoice.issue_date,
            due_date=invoice.due_date, currency="CNY", net_minor=1, tax_minor=0, gross_minor=1, amount_open_minor=1,
            gross_base_minor=1, net_base_minor=1, tax_base_minor=0,
        )


def test_journal_lines_can_be_neither_updated_nor_deleted(books):
    lines = JournalLine.objects.filter(entry=books["entry"])
    refused_by("immutable", lambda: lines.update(debit_minor=F("debit_minor") + F("credit_minor")))
    refused_by("immutable", lambda: lines.delete())
    with connection.cursor() as cursor:
        refused_by("immutable", lambda: cursor.execute("UPDATE ledger_journalline SET debit_minor = debit_minor"))
        refused_by("immutable", lambda: cursor.execute("DELETE FROM ledger_journalline"))
    assert sorted(lines.values_list("debit_minor", "credit_minor")) == [(0, 13_000), (0, 100_000), (113_000, 0)]


def test_journal_entries_can_be_neither_updated_nor_deleted(books):
    entry = JournalEntry.objects.filter(pk=books["entry"].pk)
    refused_by("immutable", lambda: entry.update(memo="edited"))
    with connection.cursor() as cursor:
        refused_by("immutable", lambda: cursor.execute("DELETE FROM ledger_journalentry"))
    assert entry.get().memo == "Invoice INV-000001"


postgres_only = pytest.mark.skipif(
    not postgres_available(), reason="deferred constraint triggers exist on PostgreSQL only (set DATABASE_URL)"
)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_refuses_to_commit_an_unbalanced_entry(company):
    customer = factories.customer()
    bank, unapplied = Account.objects.get(code="1002"), Account.objects.get(code="2203")

    def entry():
        return JournalEntry.objects.create(company=company, customer=customer, date=date(2026, 1, 1), kind="payment")

    # lines are inserted one by one; the check waits for the commit, so a balanced pair passes
    with transaction.atomic():
        balanced = entry()
        JournalLine.objects.create(entry=balanced, account=bank, customer=customer, debit_minor=500)
        JournalLine.objects.create(entry=balanced, account=unapplied, customer=customer, credit_minor=500)
    assert JournalLine.objects.filter(entry=balanced).count() == 2

    with pytest.raises(IntegrityError, match="does not balance: debits - credits = 1"):
        with transaction.atomic():
            unbalanced = entry()
            JournalLine.objects.create(entry=unbalanced, account=bank, customer=customer, debit_minor=501)
            JournalLine.objects.create(entry=unbalanced, account=unapplied, customer=customer, credit_minor=500)
    assert not JournalEntry.objects.filter(pk=unbalanced.pk).exists()
    assert JournalLine.objects.count() == 2


def _bulk_entry(company, customer, lines: list[tuple[str, int, int]]) -> int:
    """One entry and its lines through the bulk path's own writer (``Table``: COPY on PostgreSQL), no Python check."""
    now = timezone.now()
    accounts = dict(Account.objects.values_list("code", "id"))
    [entry_id] = reserve_ids(JournalEntry, 1)
    Table(JournalEntry, ["id", "company_id", "customer_id", "date", "kind"], now).write(
        [(entry_id, company.pk, customer.pk, date(2026, 1, 1), "payment")])
    Table(JournalLine, ["entry_id", "account_id", "customer_id", "debit_minor", "credit_minor"], now).write(
        [(entry_id, accounts[code], customer.pk, debit, credit) for code, debit, credit in lines])
    return entry_id


@pytest.mark.django_db
def test_the_bulk_path_refuses_an_unbalanced_entry(company):
    customer = factories.customer()
    spec = EntrySpec(company=company, customer=customer, on=date(2026, 1, 1), kind=EntryKind.PAYMENT,
                     lines=[Line(AccountCode.BANK, debit=501), Line(AccountCode.UNAPPLIED_CASH, credit=500)])
    with pytest.raises(UnbalancedEntry):
        journal_write_many([spec])
    assert not JournalEntry.objects.filter(customer=customer).exists()


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_refuses_an_unbalanced_entry_written_by_the_bulk_writer(company):
    """The balance is checked once per entry at commit: every entry of a bulk write, whatever its place in the
    COPY, and a line written after the checks ran early (SET CONSTRAINTS ... IMMEDIATE) is checked too."""
    customer = factories.customer()
    with transaction.atomic():
        kept = [_bulk_entry(company, customer, [("1002", 500, 0), ("2203", 0, 500)]) for _ in range(3)]
    assert JournalLine.objects.filter(entry_id__in=kept).count() == 6

    with pytest.raises(IntegrityError, match="does not balance: debits - credits = 1"):
        with transaction.atomic():
            _bulk_entry(company, customer, [("1002", 500, 0), ("2203", 0, 500)])
            _bulk_entry(company, customer, [("1002", 501, 0), ("2203", 0, 500)])
            _bulk_entry(company, customer, [("1002", 700, 0), ("2203", 0, 700)])

    with pytest.raises(IntegrityError, match="does not balance: debits - credits = 7"):
        with transaction.atomic():
            late = _bulk_entry(company, customer, [("1002", 500, 0), ("2203", 0, 500)])
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks run now: entry `late` balances
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            Table(JournalLine, ["entry_id", "account_id", "customer_id", "debit_minor", "credit_minor"],
                  timezone.now()).write([(late, Account.objects.get(code="1002").pk, customer.pk, 7, 0)])
    assert sorted(JournalEntry.objects.filter(customer=customer).values_list("pk", flat=True)) == sorted(kept)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_open_items_index_carries_what_todays_open_items_read_and_answers_them_alone(company):
    """ledger/0017: ``invoice_open_by_customer`` keeps its key and condition and carries the columns a read of
    today's open items uses, so that once a vacuum has marked the pages all-visible PostgreSQL answers the aging's
    facts from the index without visiting the invoice table."""
    from arms.analytics.aging import AgingRows, aging_items

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef('invoice_open_by_customer'::regclass)")
        definition = cursor.fetchone()[0]
    assert definition.endswith("(customer_id, due_date) INCLUDE (id, issue_date, currency, amount_open_minor, "
                               "gross_base_minor) WHERE (amount_open_minor > 0)"), definition
    customer = factories.customer()
    for _n in range(3):
        factories.invoice(customer)
    vacuumed("ledger_invoice")
    facts, params = AgingRows(items=aging_items(as_of=timezone.localdate()), as_of=timezone.localdate(),
                              group_by="customer", size=8)._facts()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small is otherwise read whole
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {facts}", params)
        plan = json.dumps(cursor.fetchone()[0])
    assert '"Node Type": "Index Only Scan"' in plan and '"Heap Fetches": 0' in plan, plan


def _index_only_scans(plan: object) -> dict[str, int]:
    """{index name: heap fetches} of every index-only scan in an ``EXPLAIN (ANALYZE, FORMAT JSON)`` plan."""
    found: dict[str, int] = {}
    nodes = [plan]
    while nodes:
        node = nodes.pop()
        if isinstance(node, list):
            nodes.extend(node)
        elif isinstance(node, dict):
            if node.get("Node Type") == "Index Only Scan":
                found[node["Index Name"]] = found.get(node["Index Name"], 0) + node["Heap Fetches"]
            nodes.extend(value for value in node.values() if isinstance(value, (list, dict)))
    return found


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="covering indexes and the visibility map are PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_date_indexes_carry_what_the_kpis_sum_and_answer_them_alone(company):
    """ledger/0019: the indexes on ``invoice.issue_date``, ``payment.received_date`` and ``allocation.date`` keep
    their names and keys and carry the amounts the KPIs' range reads sum, so that once a vacuum has marked the pages
    all-visible the credit sales by month, the cash collected and the allocations after a day are read from the
    index alone. The queries are the ones the KPIs run, captured."""
    from django.test.utils import CaptureQueriesContext

    from arms.analytics.kpis import collections, countback_first_read, payment_timeliness

    definitions = {}
    with connection.cursor() as cursor:
        for name in ("ledger_invoice_issue_date_38ee58ce", "ledger_payment_received_date_ca7ed9c9",
                     "ledger_allocation_date_b4a5974a"):
            cursor.execute("SELECT pg_get_indexdef(%s::regclass)", [name])
            definitions[name] = cursor.fetchone()[0].split(" USING btree ")[1]
    assert definitions == {
        "ledger_invoice_issue_date_38ee58ce": "(issue_date) INCLUDE (gross_base_minor)",
        "ledger_payment_received_date_ca7ed9c9": "(received_date) INCLUDE (amount_base_minor)",
        "ledger_allocation_date_b4a5974a": "(date) INCLUDE (invoice_id, amount_minor, receivable_base_minor, "
                                           "payment_id, credit_note_id)"}
    customer = factories.customer()
    for day in (date(2026, 3, 2), date(2026, 3, 9), date(2026, 4, 1)):
        invoice = factories.invoice(customer, issued=day)
        payment = factories.payment(customer, amount=invoice.gross_minor, received=day + timedelta(days=20))
        payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, invoice.gross_minor)],
                         on=day + timedelta(days=20))
    for table in ("ledger_invoice", "ledger_payment", "ledger_allocation"):
        vacuumed(table)
    start, end = date(2026, 3, 15), date(2026, 4, 30)
    with CaptureQueriesContext(connection) as queries:
        assert sum(countback_first_read(end, None).values()) == 3 * invoice.gross_minor
        assert collections(start, end, None) == 3 * invoice.gross_minor
        assert payment_timeliness(start, end, None)["settled"] == 3
    scans: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # tables this small are otherwise read whole, or through a bitmap of the index
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        for query in queries.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
                for name, fetches in _index_only_scans(cursor.fetchone()[0]).items():
                    scans[name] = scans.get(name, 0) + fetches
    assert {name: scans.get(name) for name in definitions} == {name: 0 for name in definitions}, scans
