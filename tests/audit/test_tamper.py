"""Direct database tampers, as someone with database access would try them: each is refused by the database
or found by ``arms audit verify`` / ``arms ledger check``. The figures (tried, refused, found) are in
docs/testing.md."""

import contextlib
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from arms.audit.models import AuditEvent
from arms.audit.services import audit_verify
from arms.cases.models import Activity
from arms.cases.services.activities import activity_record
from arms.ledger import services
from arms.ledger.check import ledger_check
from arms.ledger.models import Account, Allocation, JournalEntry, JournalLine
from arms.ledger.seal import journal_seals_verify
from arms.ledger.services.allocations import AllocationRequest
from tests import factories

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no TRUNCATE (its DELETE triggers refuse the same)"
)


@pytest.fixture
def book(clerk, customer):
    """An invoice, a payment allocated to it in part, a credit note and a call: every kind of posted row."""
    invoice = factories.invoice(customer, actor=clerk)
    payment = factories.payment(customer, amount=50_000, actor=clerk)
    services.payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, 30_000)],
                              on=date(2026, 2, 1))
    note = services.credit_note_post(actor=clerk, invoice=invoice, on=date(2026, 2, 5), net_minor=1_000, tax_minor=130,
                              reason="质量折让")
    activity = activity_record(customer=customer, kind="call", outcome="reached", note="财务说下周付", actor=clerk)
    return {"invoice": invoice, "payment": payment, "customer": customer, "activity": activity,
            "entry": JournalEntry.objects.get(invoice=invoice, kind="invoice"),
            "payment_entry": JournalEntry.objects.get(payment=payment, kind="payment"),
            "allocation": Allocation.objects.get(payment=payment), "note": note,
            "company": invoice.company_id, "account": dict(Account.objects.values_list("code", "id"))}


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def counts() -> tuple[int, ...]:
    return (JournalLine.objects.count(), JournalEntry.objects.count(), AuditEvent.objects.count(),
            Activity.objects.count())


def refused(statement: str, *params) -> str:
    """Run ``statement`` in a savepoint; it must raise. Returns the database's message."""
    with pytest.raises((IntegrityError, DatabaseError)) as raised, transaction.atomic():
        sql(statement, *params)
    return str(raised.value)


@postgres_only
@pytest.mark.parametrize("table", ["ledger_journalline", "ledger_journalentry", "audit_auditevent",
                                   "audit_audithead", "audit_auditbatch", "audit_auditbatchevent", "cases_activity",
                                   "cases_attachment"])
def test_truncate_of_posted_evidence_is_refused(book, table):
    before = counts()
    assert "TRUNCATE" in refused(f"TRUNCATE {table} CASCADE")
    assert counts() == before


def test_a_balanced_pair_added_to_a_posted_entry_is_refused(book):
    before = counts()
    entry, customer = book["entry"], book["customer"]
    bank, revenue = Account.objects.get(code="1002").pk, Account.objects.get(code="6001").pk
    message = refused(
        "INSERT INTO ledger_journalline (entry_id, account_id, customer_id, debit_minor, credit_minor)"
        " VALUES (%s, %s, %s, 100, 0), (%s, %s, %s, 0, 100)",
        entry.pk, bank, customer.pk, entry.pk, revenue, customer.pk,
    )
    assert "is posted" in message
    assert counts() == before


def new_entry(book) -> int:
    """An entry inserted directly, with no lines yet, in the (sub)transaction of the caller: its id."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO ledger_journalentry (company_id, customer_id, date, kind, memo, created_at)"
                       " VALUES (%s, %s, '2026-02-01', 'invoice', 't', now()) RETURNING id",
                       [book["company"], book["customer"].pk])
        return cursor.fetchone()[0]


def pair(entry_id: int, book) -> list:
    """The values of a balanced pair of lines for ``entry_id``."""
    customer, account = book["customer"].pk, book["account"]
    return [entry_id, account["1002"], customer, 100, 0, entry_id, account["6001"], customer, 0, 100]


PAIR_SQL = ("INSERT INTO ledger_journalline (entry_id, account_id, customer_id, debit_minor, credit_minor)"
            " VALUES (%s, %s, %s, %s, %s), (%s, %s, %s, %s, %s)")


@postgres_only
def test_one_statement_adding_lines_to_its_own_new_entry_and_to_a_posted_one_is_refused(book):
    """The rule is checked once per statement (ledger/0018): one posted entry among the statement's entries is
    enough, and the message names it."""
    before = counts()
    posted = book["entry"].pk
    with pytest.raises((IntegrityError, DatabaseError)) as raised, transaction.atomic():
        fresh = new_entry(book)
        sql("INSERT INTO ledger_journalline (entry_id, account_id, customer_id, debit_minor, credit_minor) VALUES "
            + ", ".join(["(%s, %s, %s, %s, %s)"] * 4), *pair(fresh, book), *pair(posted, book))
    assert f"journal entry {posted} is posted" in str(raised.value)
    assert counts() == before


@postgres_only
def test_lines_for_an_entry_of_an_earlier_savepoint_are_refused_and_of_the_same_one_accepted(book):
    before = counts()
    with transaction.atomic():  # a savepoint, released: the entry's xmin is its subtransaction's
        earlier = new_entry(book)
    assert f"journal entry {earlier} is posted" in refused(PAIR_SQL, *pair(earlier, book))
    with transaction.atomic():
        fresh = new_entry(book)
        sql(PAIR_SQL, *pair(fresh, book))
        sql("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred balance check of the new entry passes
        sql("SET CONSTRAINTS ALL DEFERRED")
    assert JournalLine.objects.filter(entry_id=fresh).count() == 2
    assert JournalLine.objects.count() == before[0] + 2


def findings() -> set[str]:
    """What ``arms audit verify`` and ``arms ledger check`` report: "chain", "seals" and failed check codes."""
    found = {r.code for r in ledger_check() if not r.ok}
    if not audit_verify().ok:
        found.add("chain")
    if not journal_seals_verify().ok:
        found.add("seals")
    return found


@contextlib.contextmanager
def triggers_off(*tables: str):
    """Switch off the tables' own triggers, as a superuser (PostgreSQL) or the file's owner (SQLite) can."""
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")  # the book's deferred balance checks run now, not past the ALTER
        sql("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            yield
        finally:
            sql("SET CONSTRAINTS ALL IMMEDIATE")
            sql("SET CONSTRAINTS ALL DEFERRED")
            for table in tables:
                sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        return
    with connection.cursor() as cursor:
        marks = ", ".join("%s" for _ in tables)
        cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})", tables)
        saved = cursor.fetchall()
        for name, _sql in saved:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, statement in saved:
                cursor.execute(statement)


@dataclass(frozen=True)
class Tamper:
    name: str
    statements: object  # book -> list of (sql, params)
    guarded: tuple[str, ...] = ()  # tables whose triggers refuse it; tried again with them off
    pg_only: bool = False


L, E, EVENTS = "ledger_journalline", "ledger_journalentry", "audit_auditevent"


def line_of(b, code):
    return JournalLine.objects.get(entry=b["entry"], account_id=b["account"][code]).pk


def new_entry_sql(b, kind="payment"):
    return [(f"INSERT INTO {E} (company_id, customer_id, date, kind, memo, created_at, invoice_id)"
             " VALUES (%s, %s, %s, %s, '', %s, NULL)", [b["company"], b["customer"].pk, date(2026, 3, 1), kind,
                                                     "2026-03-01 10:00:00+00:00"])]


def pair_sql(entry_sql, b):
    return [(f"INSERT INTO {L} (entry_id, account_id, customer_id, debit_minor, credit_minor)"
             f" VALUES (({entry_sql}), %s, %s, 500, 0), (({entry_sql}), %s, %s, 0, 500)",
             [b["account"]["1002"], b["customer"].pk, b["account"]["6001"], b["customer"].pk])]


TAMPERS = [
    # journal lines
    Tamper("line_amount_raised_balanced", lambda b: [
        (f"UPDATE {L} SET debit_minor = debit_minor + 100 WHERE id = %s", [line_of(b, "1122")]),
        (f"UPDATE {L} SET credit_minor = credit_minor + 100 WHERE id = %s", [line_of(b, "6001")])], (L,)),
    Tamper("line_account_moved", lambda b: [
        (f"UPDATE {L} SET account_id = %s WHERE id = %s", [b["account"]["1002"], line_of(b, "6001")])], (L,)),
    Tamper("line_customer_moved", lambda b: [
        (f"UPDATE {L} SET customer_id = %s WHERE id = %s", [factories.customer().pk, line_of(b, "6001")])], (L,)),
    Tamper("line_deleted", lambda b: [(f"DELETE FROM {L} WHERE id = %s", [line_of(b, "22210106")])], (L,)),
    Tamper("lines_deleted_all", lambda b: [(f"DELETE FROM {L}", [])], (L,)),
    Tamper("lines_truncated", lambda b: [(f"TRUNCATE {L}", [])], (L,), pg_only=True),
    Tamper("pair_inserted_into_posted_entry", lambda b: pair_sql(str(b["entry"].pk), b), (L,)),
    Tamper("pair_inserted_into_payment_entry", lambda b: pair_sql(str(b["payment_entry"].pk), b), (L,)),
    Tamper("line_inserted_unbalanced_into_posted_entry", lambda b: [
        (f"INSERT INTO {L} (entry_id, account_id, customer_id, debit_minor, credit_minor) VALUES (%s, %s, %s, 7, 0)",
         [b["entry"].pk, b["account"]["1002"], b["customer"].pk])], (L,)),
    # journal entries
    Tamper("entry_date_moved", lambda b: [(f"UPDATE {E} SET date = %s WHERE id = %s",
                                           [date(2025, 12, 31), b["entry"].pk])], (E,)),
    Tamper("entry_kind_changed", lambda b: [(f"UPDATE {E} SET kind = 'payment' WHERE id = %s", [b["entry"].pk])],
           (E,)),
    Tamper("entry_moved_to_other_invoice", lambda b: [(f"UPDATE {E} SET invoice_id = NULL WHERE id = %s",
                                                       [b["entry"].pk])], (E,)),
    Tamper("entry_deleted_with_lines", lambda b: [(f"DELETE FROM {L} WHERE entry_id = %s", [b["entry"].pk]),
                                                  (f"DELETE FROM {E} WHERE id = %s", [b["entry"].pk])], (L, E)),
    # CASCADE: other tables point at journal entries (a provision run's lines); the journal's own triggers refuse it
    Tamper("journal_truncated", lambda b: [(f"TRUNCATE {L}, {E} CASCADE", [])], (L, E), pg_only=True),
    Tamper("new_entry_with_balanced_lines", lambda b: new_entry_sql(b) + pair_sql(f"SELECT MAX(id) FROM {E}", b)),
    # documents
    Tamper("invoice_net_raised", lambda b: [("UPDATE ledger_invoice SET net_minor = net_minor + 100,"
                                             " net_base_minor = net_base_minor + 100 WHERE id = %s",
                                             [b["invoice"].pk])]),
    Tamper("invoice_tax_lowered", lambda b: [("UPDATE ledger_invoice SET tax_base_minor = tax_base_minor - 100"
                                              " WHERE id = %s", [b["invoice"].pk])]),
    Tamper("invoice_open_amount_cut", lambda b: [("UPDATE ledger_invoice SET amount_open_minor = 0 WHERE id = %s",
                                                  [b["invoice"].pk])]),
    Tamper("invoice_deleted", lambda b: [("DELETE FROM ledger_invoice WHERE id = %s", [b["invoice"].pk])]),
    Tamper("credit_note_net_raised", lambda b: [("UPDATE ledger_creditnote SET net_base_minor = net_base_minor + 50"
                                                 " WHERE id = %s", [b["note"].pk])]),
    Tamper("payment_amount_raised", lambda b: [("UPDATE ledger_payment SET amount_minor = amount_minor + 100,"
                                                " amount_base_minor = amount_base_minor + 100,"
                                                " amount_unallocated_minor = amount_unallocated_minor + 100"
                                                " WHERE id = %s", [b["payment"].pk])]),
    Tamper("payment_marked_reversed", lambda b: [("UPDATE ledger_payment SET status = 'reversed' WHERE id = %s",
                                                  [b["payment"].pk])]),
    Tamper("payment_deleted", lambda b: [("DELETE FROM ledger_payment WHERE id = %s", [b["payment"].pk])]),
    Tamper("allocation_amount_cut", lambda b: [("UPDATE ledger_allocation SET amount_minor = 1 WHERE id = %s",
                                                [b["allocation"].pk])]),
    Tamper("allocation_deleted", lambda b: [("DELETE FROM ledger_allocation WHERE id = %s",
                                             [b["allocation"].pk])]),
    # activities
    Tamper("activity_note_edited", lambda b: [("UPDATE cases_activity SET note = '没打通' WHERE id = %s",
                                               [b["activity"].pk])]),
    Tamper("activity_deleted", lambda b: [("DELETE FROM cases_activity WHERE id = %s", [b["activity"].pk])],
           pg_only=True),
    Tamper("activities_truncated", lambda b: [("TRUNCATE cases_activity CASCADE", [])], pg_only=True),
    # the audit trail
    Tamper("event_after_edited", lambda b: [(f"UPDATE {EVENTS} SET actor_name = 'someone' WHERE seq = 2", [])]),
    Tamper("event_seal_removed", lambda b: [(f"UPDATE {EVENTS} SET seals = NULL WHERE seq = 1", [])]),
    Tamper("event_deleted", lambda b: [(f"DELETE FROM {EVENTS} WHERE seq = 3", [])]),
    Tamper("newest_event_deleted", lambda b: [(f"DELETE FROM {EVENTS} WHERE seq = (SELECT MAX(seq) FROM {EVENTS})",
                                               [])]),
    Tamper("events_truncated", lambda b: [(f"TRUNCATE {EVENTS}", [])], pg_only=True),
    Tamper("head_rewound", lambda b: [("UPDATE audit_audithead SET last_seq = last_seq - 1", [])]),
]


def run(statements) -> None:
    """Run the tamper and what its COMMIT would check (the deferred foreign keys and balance trigger)."""
    for statement, params in statements:
        sql(statement, *params)
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        sql("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.check_constraints()


def snapshot() -> tuple:
    tables = [L, E, EVENTS, "cases_activity", "ledger_invoice", "ledger_payment", "ledger_allocation"]
    with connection.cursor() as cursor:
        rows = []
        for table in tables:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            rows.append(cursor.fetchall())
    return tuple(rows)


@pytest.mark.parametrize("tamper", TAMPERS, ids=[t.name for t in TAMPERS])
def test_every_tamper_is_refused_by_the_database_or_found_by_verify_and_check(book, tamper):
    if tamper.pg_only and connection.vendor != "postgresql":
        pytest.skip("TRUNCATE and activity DELETE triggers are PostgreSQL's (SQLite: DELETE triggers / the model)")
    assert findings() == set()
    statements = tamper.statements(book)
    before = snapshot()
    try:
        with transaction.atomic():
            run(statements)
    except DatabaseError:
        refused = True
        assert snapshot() == before  # nothing written
    else:
        refused = False
        assert findings(), f"{tamper.name}: neither refused nor found"
    if tamper.guarded:
        assert refused, f"{tamper.name}: the triggers on {tamper.guarded} should refuse it"
        with triggers_off(*tamper.guarded), transaction.atomic():
            run(statements)
        assert findings() & {"seals", "chain"}, f"{tamper.name}: with the triggers off, the seals should find it"


def test_the_seals_name_the_entry_and_verify_exits_non_zero(book):
    from django.core.management import CommandError, call_command

    with triggers_off(L):
        sql(f"UPDATE {L} SET credit_minor = credit_minor + 1 WHERE id = %s", line_of(book, "6001"))
        sql(f"UPDATE {L} SET debit_minor = debit_minor + 1 WHERE id = %s", line_of(book, "1122"))
    report = journal_seals_verify()
    assert journal_seals_verify(batch_size=1) == report  # a batch at a time finds the same
    assert len(report.problems) == 1
    assert report.problems[0].startswith(f"journal entry {book['entry'].pk} differs from its seal in audit event 1")
    with pytest.raises(CommandError, match="sealed rows changed after they were posted: journal"):
        call_command("audit", "verify")
    assert journal_seals_verify(limit=0).problems == ("... and 1 more",)
    failed = {r.code: r.rows for r in ledger_check() if not r.ok}
    assert set(failed) == {"revenue_control", "entry_matches_document", "receivables_control"}
    assert failed["entry_matches_document"][0]["document"] == book["invoice"].number


def test_entries_posted_before_sealing_are_legacy_and_said_so(book):
    import importlib

    from django.apps import apps

    from arms.audit.services import event_hash

    # as an installation upgraded from before seals: no event carries one; rewrite the chain accordingly
    sql(f"UPDATE {EVENTS} SET seals = NULL")
    previous = "0" * 64
    for event in AuditEvent.objects.order_by("seq"):
        digest = event_hash(seq=event.seq, occurred_at=event.occurred_at, actor_name=event.actor_name,
                            action=event.action, subject_type=event.subject_type, subject_id=event.subject_id,
                            subject_repr=event.subject_repr, before=event.before, after=event.after,
                            prev_hash=previous)
        sql(f"UPDATE {EVENTS} SET prev_hash = %s, hash = %s WHERE seq = %s", previous, digest, event.seq)
        previous = digest
    sql("UPDATE audit_audithead SET last_hash = %s", previous)
    assert not journal_seals_verify().ok  # unsealed, and no record that they are legacy
    migration = importlib.import_module("arms.ledger.migrations.0005_journal_legacy_tamper")
    migration.mark_legacy(apps, None)
    entries = JournalEntry.objects.count()
    report = journal_seals_verify()
    assert report.ok and audit_verify().ok
    assert f"{entries} legacy entries" in report.summary
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=7)
    factories.invoice(book["customer"])
    report = journal_seals_verify()
    assert report.ok and "1 journal entries match their seals" in report.summary
