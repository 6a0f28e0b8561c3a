"""The bulk loader behind ``arms bench``: customers, invoices, payments and allocations with their journal.

This is the one place in ARMS that writes ledger rows without the services, because a million postings
one transaction at a time would measure the services, not the database. It writes exactly what the
services would have written for the same documents (open amounts, unallocated amounts, one balanced
journal entry per invoice, payment and allocation, on the customer's sub-ledger), so ``arms ledger check``
stays an honest verdict on the result. It writes no audit events: the scratch database is not a record
of anyone's work, and the audit chain stays intact (it simply does not grow).

Rows come from generators one batch at a time (never a list of a million objects), are written with
``executemany`` on SQLite and ``COPY`` on PostgreSQL, one transaction per batch. The database's own
guards stay on: check constraints, foreign keys, and on PostgreSQL the deferred trigger that refuses an
unbalanced journal entry and the immutability triggers.

Where the machine allows (``fork``), a second process generates the rows, and on PostgreSQL already
encodes them in COPY's text format, while this one writes the previous batch: generating is Python work,
writing is the database's, and the two overlap instead of taking turns. The rows are the same either way
(one generator, one seed). On PostgreSQL each batch commits with ``synchronous_commit`` off: the scratch
load does not wait for its WAL to reach the disk (a crash could lose the last batches, never corrupt the
database); it changes nothing for any other session.

On PostgreSQL, when the book is empty (the scratch database ``arms bench`` is meant for: it refuses one that
holds invoices unless ``--force``) and each batch commits on its own, the document tables' secondary indexes
are dropped before the documents are written and built again, from their own definitions
(``pg_get_indexdef``), once they are in: one sorted build per index instead of an insertion into each of
them for every row. Whatever the load does, even when it fails or is interrupted (Ctrl-C), the indexes are
built again before ``load`` returns or raises; only a killed process (``kill -9``, a crash) leaves a
half-loaded scratch book without them, to be dropped. Primary keys, unique constraints and the index the
deferred balance check reads (the journal lines' ``entry_id``) are never dropped, so every guard runs during
the load as it would without this. ``--keep-indexes`` keeps them all.

On PostgreSQL, when each batch commits on its own, two writers (threads, each with its own connection) write and
commit batches side by side (``--writers``): most of a batch's time is its ``COMMIT``, where the server fires the
deferred foreign-key and balance checks on one core, so a second transaction in flight puts the second core to
work. The batches are independent (each holds its invoices with their payments, allocations and journal, and
refers to nothing but the customers and accounts written before), so the order they commit in changes nothing;
a failed batch stops the feed, the batches in flight finish, and the error is raised as before.
"""

from __future__ import annotations

import math
import multiprocessing
import random
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from faker import Faker

from arms.common.bulk import Table
from arms.customers.models import Customer
from arms.customers.services import company_ensure
from arms.domain.journal import AccountCode
from arms.domain.uscc import make_uscc
from arms.ledger.enums import EntryKind
from arms.ledger.models import Account, Allocation, Invoice, JournalEntry, JournalLine, Payment
from arms.seed.plan import org_code_check

YUAN = 100
MODELS = [Customer, Invoice, Payment, Allocation, JournalEntry, JournalLine]
DIVISIONS = ["310115", "320500", "330200", "440300", "110105", "420100", "510100", "370200", "210100", "610100"]
REGIONS = ["east", "east", "east", "south", "north", "central", "southwest", "east", "northeast", "northwest"]
INDUSTRIES = ["manufacturing", "automotive", "electronics", "construction", "energy", "wholesale"]
#: the tables whose secondary indexes an empty book's load builds afterwards (PostgreSQL)
DOCUMENT_MODELS = [Invoice, Payment, Allocation, JournalEntry, JournalLine]
#: (table, first column) of the indexes a guard reads during the load: the deferred balance check sums an
#: entry's lines through this one, so it is kept (and maintained) whatever the book
GUARD_INDEXES = {(JournalLine._meta.db_table, "entry_id")}


@dataclass
class Batch:
    """The rows of one batch of invoices, with everything that hangs off them."""

    invoices: list[tuple] = field(default_factory=list)
    payments: list[tuple] = field(default_factory=list)
    allocations: list[tuple] = field(default_factory=list)
    entries: list[tuple] = field(default_factory=list)
    lines: list[tuple] = field(default_factory=list)


class Loader:
    """Generates and writes ``invoices`` documents for ``customers`` new customers, ``batch_size`` at a time."""

    def __init__(self, *, invoices: int, customers: int, seed: int, today: date, batch_size: int = 20_000,
                 producer: bool = True, defer_indexes: bool = True, writers: int = 2):
        self.total = invoices
        self.customer_count = customers
        self.today = today
        self.start = today - timedelta(days=730)
        self.batch_size = batch_size
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.company_id = None
        self.customer_ids: list[int] = []
        self.rows: dict[str, int] = {m._meta.db_table: 0 for m in MODELS}
        self._days: dict[date, object] = {}
        self.accounts: dict[str, int] = {}
        self.memos = ("", "", "")
        #: generate in a second process while this one writes (``fork`` only: the child inherits the plan)
        self.producer = producer and "fork" in multiprocessing.get_all_start_methods()
        #: build the document tables' secondary indexes after the load (PostgreSQL, an empty book only)
        self.defer_indexes = defer_indexes
        #: (name, definition) of the indexes this load dropped and built again
        self.deferred_indexes: list[tuple[str, str]] = []
        #: batches written side by side (PostgreSQL, each batch its own transaction); ``writers_used`` is what ran
        self.writers = writers
        self.writers_used = 1
        connection.ensure_connection()

    # ---- helpers ---------------------------------------------------------------------------------

    def day(self, value: date):
        """A date in the form the database driver takes (cached: two years have only 731 of them)."""
        prepared = self._days.get(value)
        if prepared is None:
            prepared = self._days[value] = connection.ops.adapt_datefield_value(value)
        return prepared

    def next_ids(self) -> dict[str, int]:
        return {m._meta.db_table: (m.objects.aggregate(top=Max("id"))["top"] or 0) + 1 for m in MODELS}

    # ---- customers -------------------------------------------------------------------------------

    def load_customers(self, company_id: int) -> list[tuple[int, int]]:
        """Insert the customers in one transaction; returns (id, payment terms days) for each."""
        fake = Faker("zh_CN")
        fake.seed_instance(self.rng.randint(0, 2**31))
        first = self.next_ids()[Customer._meta.db_table]
        table = Table(Customer, ["id", "company_id", "code", "name", "uscc", "industry", "region",
                                 "payment_terms_days", "payment_terms_basis", "currency"], self.now)
        rows, made = [], []
        for n in range(self.customer_count):
            pk = first + n
            body = f"B{pk:07d}"
            place = self.rng.randrange(len(DIVISIONS))
            uscc = make_uscc(f"91{DIVISIONS[place]}{body}{org_code_check(body)}")
            terms = self.rng.choice([30, 30, 45, 60, 60, 90])
            rows.append((pk, company_id, f"BC{pk:07d}", fake.company(), uscc, self.rng.choice(INDUSTRIES),
                         REGIONS[place], terms, "month_end" if self.rng.random() < 0.3 else "invoice_date", "CNY"))
            made.append((pk, terms))
        with transaction.atomic():
            if connection.vendor == "postgresql":
                table.write_copy(table.encode(rows))
                self.rows[table.name] += len(rows)
            else:
                self.rows[table.name] += table.write(rows)
        return made

    # ---- documents -------------------------------------------------------------------------------

    def batches(self, customers: list[tuple[int, int]], ids: dict[str, int]) -> Iterator[tuple[int, Batch]]:
        """Yield (invoices in the batch, rows) until ``total`` invoices are generated."""
        rng, accounts = self.rng, self.accounts
        receivables, revenue, vat = (accounts[AccountCode.RECEIVABLES], accounts[AccountCode.REVENUE],
                                     accounts[AccountCode.OUTPUT_VAT])
        bank, notes, unapplied = (accounts[AccountCode.BANK], accounts[AccountCode.NOTES_RECEIVABLE],
                                  accounts[AccountCode.UNAPPLIED_CASH])
        invoice_memo, payment_memo, allocation_memo = self.memos
        company, span = self.company_id, (self.today - self.start).days
        low, high = math.log(10_000 / 1.13), math.log(2_000_000 / 1.13)
        invoice_id, payment_id, allocation_id = ids["ledger_invoice"], ids["ledger_payment"], ids["ledger_allocation"]
        entry_id, line_id = ids["ledger_journalentry"], ids["ledger_journalline"]
        made = 0
        while made < self.total:
            batch = Batch()
            size = min(self.batch_size, self.total - made)
            for _n in range(size):
                customer, terms = customers[rng.randrange(len(customers))]
                issue = self.start + timedelta(days=rng.randint(0, span))
                due = issue + timedelta(days=terms)
                net = int(math.exp(rng.uniform(low, high))) * YUAN
                tax = (net * 13 + 50) // 100
                gross = net + tax
                paid = self.paid_share(due, rng)
                allocated = gross if paid == 1 else (gross * paid // 100 // YUAN * YUAN if paid else 0)
                number = f"BI-{invoice_id:08d}"
                batch.invoices.append((
                    invoice_id, company, customer, number, self.day(issue), self.day(due), "CNY", net, tax, gross,
                    gross - allocated, gross, net, tax,
                ))
                batch.entries.append((entry_id, company, self.day(issue), EntryKind.INVOICE.value, customer,
                                      invoice_id, None, None, invoice_memo % {"number": number}))
                batch.lines += [
                    (line_id, entry_id, receivables, customer, gross, 0),
                    (line_id + 1, entry_id, revenue, customer, 0, net),
                    (line_id + 2, entry_id, vat, customer, 0, tax),
                ]
                entry_id, line_id = entry_id + 1, line_id + 3
                if allocated:
                    received = min(self.today, max(issue + timedelta(days=1),
                                                   due + timedelta(days=rng.randint(-10, 40))))
                    extra = rng.randint(1, 50) * 1_000 * YUAN if rng.random() < 0.03 else 0
                    amount = allocated + extra
                    draw = rng.random()
                    method = "bank_transfer" if draw < 0.8 else ("bank_acceptance" if draw < 0.95
                                                                 else "commercial_acceptance")
                    bill = method != "bank_transfer"
                    pay_number = f"BR-{payment_id:08d}"
                    batch.payments.append((
                        payment_id, company, customer, pay_number, self.day(received), "CNY", amount, extra, method,
                        f"{payment_id:030d}" if bill else "",
                        self.day(received + timedelta(days=180)) if bill else None, amount,
                    ))
                    batch.entries.append((entry_id, company, self.day(received), EntryKind.PAYMENT.value, customer,
                                          None, payment_id, None, payment_memo % {"number": pay_number}))
                    batch.lines += [
                        (line_id, entry_id, notes if bill else bank, customer, amount, 0),
                        (line_id + 1, entry_id, unapplied, customer, 0, amount),
                    ]
                    entry_id, line_id = entry_id + 1, line_id + 2
                    batch.allocations.append((allocation_id, company, invoice_id, payment_id, allocated,
                                              self.day(received), allocated, allocated))
                    batch.entries.append((
                        entry_id, company, self.day(received), EntryKind.ALLOCATION.value, customer, invoice_id,
                        payment_id, allocation_id, allocation_memo % {"payment": pay_number, "invoice": number},
                    ))
                    batch.lines += [
                        (line_id, entry_id, unapplied, customer, allocated, 0),
                        (line_id + 1, entry_id, receivables, customer, 0, allocated),
                    ]
                    payment_id, allocation_id = payment_id + 1, allocation_id + 1
                    entry_id, line_id = entry_id + 1, line_id + 2
                invoice_id += 1
            made += size
            yield size, batch

    def paid_share(self, due: date, rng: random.Random) -> int:
        """1 for paid in full, 30..70 for the percentage of a part payment, 0 for unpaid.

        Long overdue items are mostly settled, recent ones mostly open: about a third of all invoices
        end up as open items, as in a real book.
        """
        overdue = (self.today - due).days
        paid, part = (0.05, 0.0) if overdue < 0 else ((0.5, 0.1) if overdue < 60 else (0.85, 0.05))
        draw = rng.random()
        if draw < paid:
            return 1
        if draw < paid + part:
            return rng.randint(30, 70)
        return 0

    def load(self, *, advance: Callable[[int], None] = lambda _n: None) -> dict[str, int]:
        """Write customers and documents; returns the rows written per table."""
        self.company_id = company_ensure().pk
        customers = self.load_customers(self.company_id)
        self.customer_ids = [pk for pk, _terms in customers]
        ids = self.next_ids()
        tables = self.tables()
        copy = connection.vendor == "postgresql"
        # only when each batch commits on its own: inside a caller's transaction the batches' deferred checks
        # are still pending, and PostgreSQL builds no index on a table with pending trigger events
        defer = copy and self.defer_indexes and not connection.in_atomic_block and self.book_empty()
        dropped = self.drop_indexes() if defer else []
        # side by side only where each batch is a transaction of its own (not inside a caller's, not SQLite's
        # one writer at a time)
        self.writers_used = self.writers if copy and not connection.in_atomic_block else 1
        batches = self.packed_batches(customers, ids, tables, copy)
        try:
            if self.writers_used > 1:
                self.write_side_by_side(batches, tables, advance)
            else:
                for size, packed in batches:
                    self.count(self.write_batch(packed, tables, copy), size, advance)
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()  # stops the second process at once when a batch failed
            self.create_indexes(dropped)
        self.deferred_indexes = dropped
        self.reset_sequences()
        return dict(self.rows)

    @staticmethod
    def write_batch(packed: dict[str, tuple[int, object]], tables: dict[str, Table], copy: bool) -> dict[str, int]:
        """One batch in one transaction (this thread's connection); returns the rows written per table."""
        with transaction.atomic():
            if copy:
                with connection.cursor() as cursor:  # this transaction only; see the module's docstring
                    cursor.execute("SET LOCAL synchronous_commit = off")
            for key, table in tables.items():
                _count, rows = packed[key]
                if copy:
                    table.write_copy(rows)
                else:
                    table.write(rows)
        return {table.name: packed[key][0] for key, table in tables.items()}

    def count(self, written: dict[str, int], size: int, advance: Callable[[int], None]) -> None:
        for name, rows in written.items():
            self.rows[name] += rows
        advance(size)

    def write_side_by_side(self, batches: Iterable[tuple[int, dict]], tables: dict[str, Table],
                           advance: Callable[[int], None]) -> None:
        """Write the batches with ``writers_used`` threads, at most that many in flight (the rest wait in the
        producer's pipe). The rows are counted here, in the calling thread, as each batch commits."""

        def write(size: int, packed: dict) -> tuple[int, dict[str, int]]:
            try:
                return size, self.write_batch(packed, tables, True)
            finally:
                connection.close()  # this thread's own connection; the next batch opens another

        def settle(finished: set[Future]) -> None:
            for future in finished:
                size, written = future.result()  # a failed batch raises here
                self.count(written, size, advance)

        pending: set[Future] = set()
        # leaving the pool waits for the batches in flight (commit or fail), also when one failed: the indexes
        # are built again only after them
        with ThreadPoolExecutor(max_workers=self.writers_used, thread_name_prefix="arms-bench-writer") as pool:
            for size, packed in batches:
                if len(pending) >= self.writers_used:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    settle(finished)
                pending.add(pool.submit(write, size, packed))
            settle(wait(pending).done)

    # ---- secondary indexes (PostgreSQL, an empty book) ----------------------------------------------

    @staticmethod
    def book_empty() -> bool:
        """No document in any table the load writes: the scratch database ``arms bench`` is for."""
        return not any(model.objects.exists() for model in DOCUMENT_MODELS)

    @staticmethod
    def secondary_indexes() -> list[tuple[str, str]]:
        """(name, definition) of the document tables' indexes that no primary key, no constraint and no guard
        needs while rows go in: the ones a load may build afterwards (PostgreSQL)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ci.relname, pg_get_indexdef(i.indexrelid), c.relname, pg_get_indexdef(i.indexrelid, 1, false)"
                "  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ci ON ci.oid = i.indexrelid"
                "  JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = current_schema() AND c.relname = ANY(%s) AND NOT i.indisprimary"
                "   AND NOT i.indisunique"
                "   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
                " ORDER BY c.relname, ci.relname",
                [[model._meta.db_table for model in DOCUMENT_MODELS]],
            )
            return [(name, definition) for name, definition, table, first in cursor.fetchall()
                    if (table, first) not in GUARD_INDEXES]

    def drop_indexes(self) -> list[tuple[str, str]]:
        """Drop the secondary indexes (one transaction); returns what ``create_indexes`` builds again."""
        indexes = self.secondary_indexes()
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        return indexes

    @staticmethod
    def create_indexes(indexes: list[tuple[str, str]]) -> None:
        """Build the dropped indexes again from their definitions, each sorted once over the loaded rows."""
        if not indexes:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            # each index a sort in memory; this transaction only
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)

    def tables(self) -> dict[str, Table]:
        """The document tables in the order a batch writes them; reads what the generator needs first."""
        # read here, before a child process is forked: the child never touches the database
        self.accounts = dict(Account.objects.values_list("code", "id"))
        self.memos = (_("Invoice %(number)s"), _("Payment %(number)s"), _("%(payment)s -> %(invoice)s"))
        return {
            "invoices": Table(Invoice, ["id", "company_id", "customer_id", "number", "issue_date", "due_date",
                                        "currency", "net_minor", "tax_minor", "gross_minor", "amount_open_minor",
                                        "gross_base_minor", "net_base_minor", "tax_base_minor"], self.now),
            "payments": Table(Payment, ["id", "company_id", "customer_id", "number", "received_date", "currency",
                                        "amount_minor", "amount_unallocated_minor", "method", "bill_number",
                                        "bill_maturity_date", "amount_base_minor"], self.now),
            "allocations": Table(Allocation, ["id", "company_id", "invoice_id", "payment_id", "amount_minor", "date",
                                              "receivable_base_minor", "cash_base_minor"], self.now),
            "entries": Table(JournalEntry, ["id", "company_id", "date", "kind", "customer_id", "invoice_id",
                                            "payment_id", "allocation_id", "memo"], self.now),
            "lines": Table(JournalLine, ["id", "entry_id", "account_id", "customer_id", "debit_minor",
                                         "credit_minor"], self.now),
        }

    def packed_batches(self, customers, ids, tables, copy) -> Iterator[tuple[int, dict]]:
        """(invoices, packed rows) per batch: from the second process, or generated here."""
        if self.producer:
            return self.produced(customers, ids, tables, copy)
        return ((size, self.pack(batch, tables, copy)) for size, batch in self.batches(customers, ids))

    @staticmethod
    def pack(batch: Batch, tables: dict[str, Table], copy: bool) -> dict[str, tuple[int, object]]:
        """Per table (rows, what to write): COPY's bytes on PostgreSQL, the tuples for ``executemany`` on SQLite."""
        return {key: (len(getattr(batch, key)), table.encode(getattr(batch, key)) if copy else getattr(batch, key))
                for key, table in tables.items()}

    def produced(self, customers, ids, tables, copy) -> Iterator[tuple[int, dict]]:
        """The packed batches, generated by a forked child one batch ahead of the writer.

        A pipe carries them: the child blocks on a full pipe, so at most about one batch waits in memory.
        The child never touches the database connection it inherits; it ends with ``os._exit`` (what
        multiprocessing does), so nothing of Django's is closed or flushed twice.
        """
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=self._produce, args=(send, customers, ids, tables, copy), daemon=True)
        child.start()
        send.close()
        try:
            while True:
                try:
                    message = receive.recv()
                except EOFError:
                    raise RuntimeError(f"the bench's row generator ended early (exit code {child.exitcode})") \
                        from None
                if message is None:
                    break
                if isinstance(message, str):
                    raise RuntimeError(f"the bench's row generator failed: {message}")
                yield message
        finally:
            receive.close()
            if child.is_alive():
                child.terminate()
            child.join()

    def _produce(self, send, customers, ids, tables, copy) -> None:
        """In the child: generate and pack every batch, then None; a failure is sent as its text."""
        try:
            for size, batch in self.batches(customers, ids):
                send.send((size, self.pack(batch, tables, copy)))
            send.send(None)
        except (BrokenPipeError, KeyboardInterrupt):
            pass  # the writer stopped (an error, Ctrl-C): nothing left to do
        except Exception as error:  # reported to the writer, which raises it
            send.send(f"{type(error).__name__}: {error}")
        finally:
            send.close()

    def reset_sequences(self) -> None:
        """Explicit ids leave PostgreSQL's identity sequences behind; move them past the new rows."""
        statements = connection.ops.sequence_reset_sql(no_style(), MODELS)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def analyze() -> str:
    """Refresh the planner's statistics after a bulk load (both databases call it ANALYZE); on PostgreSQL, outside
    a caller's transaction, VACUUM as well, as autovacuum does soon after a large insert: it marks the loaded pages
    all-visible, so that the reads measured next find the book as it stands in use (index-only scans of the open
    items, ledger/0017), not a table no vacuum has visited yet. Returns the statement it ran."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    statement = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return statement
