"""arms bench: a bulk load the ledger check accepts, one JSON line of figures, and no load over real data."""

import json
import os
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from arms.audit.services import audit_verify
from arms.bench.load import DOCUMENT_MODELS, Loader
from arms.common.bulk import Table, copy_text
from arms.customers.models import Customer
from arms.ledger.models import Allocation, Invoice, JournalEntry, JournalLine, Payment
from tests import factories
from tests.conftest import ledger_problems


def bench(**options) -> dict:
    out = StringIO()
    call_command("bench", stdout=out, stderr=StringIO(), **options)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


@pytest.mark.django_db
def test_bench_loads_a_sound_ledger_and_prints_one_json_line():
    figures = bench(invoices=2_000, seed=3, batch_size=700)

    assert set(figures) == {
        "benchmark", "date", "invoices", "customers", "seed", "batch_size", "producer_process",
        "indexes_built_after_load", "writers", "database", "machine", "rows", "load",
        "analyze_seconds", "analyze_statement", "open_items_for_customer", "customer_statement", "ledger_check",
    }
    assert figures["analyze_statement"] == "ANALYZE"  # inside the test's transaction, where VACUUM cannot run
    assert (figures["invoices"], figures["customers"], figures["seed"]) == (2_000, 20, 3)
    assert figures["database"]["vendor"] == connection.vendor
    assert figures["machine"]["cores"] == os.cpu_count()
    assert figures["ledger_check"] == {**figures["ledger_check"], "ok": True, "failed": []}
    assert set(figures["load"]) == {"seconds", "rows_per_second", "invoices_per_second"}
    assert set(figures["open_items_for_customer"]) >= {"median_ms", "min_ms", "max_ms", "runs", "items_mean"}
    assert figures["open_items_for_customer"]["runs"] == 25
    assert set(figures["customer_statement"]) >= {"median_ms", "runs", "lines_mean"}
    rows = figures["rows"]
    assert rows["customers_customer"] == Customer.objects.count() == 20
    assert rows["ledger_invoice"] == Invoice.objects.count() == 2_000
    assert rows["ledger_payment"] == Payment.objects.count()
    assert rows["ledger_allocation"] == Allocation.objects.count() == Payment.objects.count()
    assert rows["ledger_journalentry"] == JournalEntry.objects.count() == 2_000 + 2 * Payment.objects.count()
    assert rows["ledger_journalline"] == JournalLine.objects.count()
    assert rows["total"] == sum(v for k, v in rows.items() if k != "total")
    assert Invoice.objects.filter(amount_open_minor__gt=0).exists()
    assert Payment.objects.filter(amount_unallocated_minor__gt=0).exists()
    assert ledger_problems() == {}
    assert audit_verify().ok


@pytest.mark.django_db
def test_the_services_work_on_after_a_bench_load():
    bench(invoices=300)

    invoice = factories.invoice(Customer.objects.order_by("pk").first(), issued=date(2026, 11, 20))

    assert invoice.number == "INV-000001"
    assert invoice.pk == Invoice.objects.exclude(pk=invoice.pk).order_by("-pk").first().pk + 1
    assert ledger_problems() == {}


@pytest.mark.django_db
def test_bench_refuses_a_database_that_holds_invoices(customer):
    factories.invoice(customer)
    before = (Customer.objects.count(), Invoice.objects.count(), JournalLine.objects.count())

    with pytest.raises(CommandError):
        bench(invoices=100)

    assert (Customer.objects.count(), Invoice.objects.count(), JournalLine.objects.count()) == before


@pytest.mark.django_db
def test_bench_with_force_adds_to_existing_data(customer):
    factories.invoice(customer)

    figures = bench(invoices=500, customers=4, force=True)

    assert figures["ledger_check"]["ok"] is True
    assert (Customer.objects.count(), Invoice.objects.count()) == (5, 501)
    assert ledger_problems() == {}


@pytest.mark.django_db
@pytest.mark.parametrize("copy", [False, True], ids=["executemany", "copy"])
def test_the_second_process_generates_the_same_rows_as_one_process(company, copy):
    now = timezone.now()

    def batches(producer: bool) -> list:
        loader = Loader(invoices=350, customers=6, seed=5, today=date(2026, 11, 20), batch_size=120,
                        producer=producer)
        loader.company_id, loader.now = company.pk, now  # the defaults' timestamp: one for both loaders
        customers = [(company.pk * 1000 + n, 30 + 15 * n) for n in range(6)]  # generated only, never written
        ids = {name: 1 for name in loader.rows}
        return list(loader.packed_batches(customers, ids, loader.tables(), copy))

    alone, together = batches(False), batches(True)

    assert [size for size, _packed in alone] == [120, 120, 110]
    assert together == alone


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="only PostgreSQL's load builds indexes after the rows are in")


def document_indexes() -> dict[str, str]:
    """Name -> definition of every index of the tables the loader writes documents to."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                       " AND tablename = ANY(%s)", [[model._meta.db_table for model in DOCUMENT_MODELS]])
        return dict(cursor.fetchall())


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_empty_books_load_builds_its_secondary_indexes_again_as_they_were():
    before = document_indexes()

    figures = bench(invoices=400, seed=4)

    # outside a transaction PostgreSQL is vacuumed too, as autovacuum would after the load (ledger/0017)
    assert figures["analyze_statement"] == ("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
    assert figures["indexes_built_after_load"] > 0
    assert document_indexes() == before
    assert figures["ledger_check"]["ok"] is True
    assert ledger_problems() == {}


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_load_keeps_every_index_a_key_a_constraint_or_the_balance_check_needs(company):
    loader = Loader(invoices=50, customers=2, seed=1, today=date(2026, 11, 20))
    with connection.cursor() as cursor:
        cursor.execute("SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s)"
                       " AND (i.indisprimary OR i.indisunique OR EXISTS (SELECT 1 FROM pg_constraint k"
                       " WHERE k.conindid = i.indexrelid))", [[model._meta.db_table for model in DOCUMENT_MODELS]])
        needed = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                       [JournalLine._meta.db_table, "%(entry_id)"])
        needed |= {name for (name,) in cursor.fetchall()}

    loader.load()

    built = {name for name, _definition in loader.deferred_indexes}
    assert built and needed and not built & needed
    assert set(document_indexes()) >= built | needed


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_load_builds_the_dropped_indexes_again(monkeypatch):
    before = document_indexes()
    write_copy = Table.write_copy

    def broken(self, data):  # the customers go in; the first journal lines fail, after the indexes were dropped
        if self.name == JournalLine._meta.db_table:
            raise RuntimeError("the database went away")
        write_copy(self, data)

    built = []
    create_indexes = Loader.create_indexes

    def spy(indexes):
        built.extend(indexes)
        create_indexes(indexes)

    monkeypatch.setattr(Table, "write_copy", broken)
    monkeypatch.setattr(Loader, "create_indexes", staticmethod(spy))
    with pytest.raises(RuntimeError, match="went away"):
        Loader(invoices=300, customers=3, seed=2, today=date(2026, 11, 20), batch_size=100).load()

    assert built
    assert document_indexes() == before


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_load_over_existing_documents_drops_no_index(customer):
    factories.invoice(customer)

    assert bench(invoices=200, customers=2, force=True)["indexes_built_after_load"] == 0


@postgresql_only
@pytest.mark.django_db
def test_a_load_inside_the_callers_transaction_drops_no_index(company):
    loader = Loader(invoices=100, customers=2, seed=1, today=date(2026, 11, 20))

    loader.load()

    assert loader.deferred_indexes == []


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_keep_indexes_loads_with_every_index_in_place():
    figures = bench(invoices=200, customers=2, keep_indexes=True)

    assert figures["indexes_built_after_load"] == 0
    assert figures["ledger_check"]["ok"] is True


def test_copy_text_escapes_what_copy_would_misread():
    assert copy_text(None) == "\\N"
    assert copy_text("a\tb\\c\nd\re") == "a\\tb\\\\c\\nd\\re"
    assert copy_text(True) == "t"
    assert copy_text(-12) == "-12"
    assert copy_text(date(2026, 11, 2)) == "2026-11-02"
    with pytest.raises(Exception, match="cannot write a float"):
        copy_text(1.5)


@pytest.mark.django_db
def test_encoded_rows_carry_the_model_defaults(company):
    table = Table(Customer, ["id", "company_id", "code", "name"], now=timezone.now())

    line = table.encode([(7, company.pk, "C\t1", "甲")]).decode()

    assert line.endswith("\n") and line.count("\n") == 1
    values = line[:-1].split("\t")
    assert values[:4] == ["7", str(company.pk), "C\\t1", "甲"]
    assert len(values) == len(table.columns)


def book_relative_to(first: dict[str, int]) -> list[list[tuple]]:
    """The documents written after ``first`` (each table's first new id), every id shifted to count from 0:
    two loads of the same plan compare equal however their batches were committed."""
    def shift(value, table):
        return None if value is None else value - first[table]

    inv, pay, alc, ent = (m._meta.db_table for m in (Invoice, Payment, Allocation, JournalEntry))
    cus, lin = Customer._meta.db_table, JournalLine._meta.db_table
    return [
        [(shift(i, inv), shift(c, cus), *rest) for i, c, *rest in Invoice.objects.filter(id__gte=first[inv])
         .order_by("id").values_list("id", "customer_id", "issue_date", "due_date", "net_minor", "tax_minor",
                                     "gross_minor", "amount_open_minor")],
        [(shift(i, pay), shift(c, cus), *rest) for i, c, *rest in Payment.objects.filter(id__gte=first[pay])
         .order_by("id").values_list("id", "customer_id", "received_date", "amount_minor",
                                     "amount_unallocated_minor", "method", "bill_maturity_date")],
        [(shift(i, alc), shift(v, inv), shift(p, pay), *rest) for i, v, p, *rest in Allocation.objects
         .filter(id__gte=first[alc]).order_by("id").values_list("id", "invoice_id", "payment_id", "amount_minor",
                                                                "date")],
        [(shift(i, ent), shift(c, cus), shift(v, inv), shift(p, pay), shift(a, alc), *rest)
         for i, c, v, p, a, *rest in JournalEntry.objects.filter(id__gte=first[ent]).order_by("id").values_list(
             "id", "customer_id", "invoice_id", "payment_id", "allocation_id", "date", "kind")],
        [(shift(i, lin), shift(e, ent), shift(c, cus), *rest) for i, e, c, *rest in JournalLine.objects
         .filter(id__gte=first[lin]).order_by("id").values_list("id", "entry_id", "customer_id", "account_id",
                                                                "debit_minor", "credit_minor")],
    ]


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writers_commit_every_batch_once_and_write_what_one_writer_writes():
    def load(writers: int) -> tuple[Loader, list]:
        loader = Loader(invoices=450, customers=4, seed=3, today=date(2026, 11, 20), batch_size=100,
                        writers=writers)
        first = loader.next_ids()
        loader.load()
        # the same seed draws the same USCCs: clear them so the second load's customers may carry them again
        Customer.objects.filter(id__gte=first[Customer._meta.db_table]).update(uscc="")
        return loader, book_relative_to(first)

    one, alone = load(1)
    two, side_by_side = load(2)

    assert (one.writers_used, two.writers_used) == (1, 2)
    assert len(alone[0]) == 450 and all(alone)
    assert side_by_side == alone
    assert two.rows == one.rows
    assert ledger_problems() == {}


def test_bench_refuses_a_writer_count_out_of_bounds():
    with pytest.raises(CommandError, match="--writers"):
        call_command("bench", invoices=10, writers=9, stdout=StringIO(), stderr=StringIO())
