"""arms bench: load N invoices (with payments, allocations and their journal) in bulk, then time the reads.

Prints one JSON line on stdout; the progress bar goes to stderr.

arms bench cashapp: generate a ledger and bank lines whose truth is known, run cash application over them as
production does, and print per class how much it applied without a human, how rightly, and how fast (a rich table,
or one JSON line with --json). It writes nothing to the database.

arms bench api: serve the loaded book with gunicorn (the production settings, 127.0.0.1, 1 and 4 workers) and
drive it with a bounded load of credit checks, open items, statements and invoice postings; requests/s and
p50/p99 latency per endpoint (a table on stderr, one JSON line on stdout). See arms.bench.apiload.
"""

from __future__ import annotations

import json
import os
import random
import time
from datetime import UTC, date, datetime
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from arms.bench import apiload, cashapp, measure
from arms.bench.load import Loader, analyze
from arms.customers.models import Company
from arms.ledger.models import Invoice

DEFAULT_TODAY = date(2026, 11, 20)


class Command(BaseCommand):
    help = ("Benchmark: bulk-load N invoices into a scratch database, then time open items, statement, ledger check. "
            "`arms bench cashapp`: how much cash application applies, how rightly and how fast, on generated bank "
            "lines with a known truth (writes nothing). `arms bench api`: the API under load, served by gunicorn "
            "with the production settings, on a loaded scratch book.")

    def add_arguments(self, parser):
        parser.add_argument("scenario", nargs="?", default="ledger", choices=("ledger", "cashapp", "api"),
                            help="ledger (default): load invoices and time the reads; cashapp: cash application; "
                                 "api: the API under load (on a book loaded before).")
        parser.add_argument("--workers", default="1,4",
                            help="api: gunicorn worker counts to measure, comma-separated (default %(default)s).")
        parser.add_argument("--seconds", type=float, default=20.0, help="api: measured seconds per worker count.")
        parser.add_argument("--warmup", type=float, default=5.0, help="api: seconds of load before measuring.")
        parser.add_argument("--concurrency", type=int, default=16, help="api: requests kept in flight.")
        parser.add_argument("--single-process", action="store_true",
                            help="Generate the rows in the writing process (no second process generating ahead).")
        parser.add_argument("--keep-indexes", action="store_true",
                            help="PostgreSQL: keep the document tables' secondary indexes during the load (by default "
                                 "an empty book's load drops them and builds them again after the rows are in).")
        parser.add_argument("--writers", type=int, default=2,
                            help="PostgreSQL: batches written and committed side by side, 1 to 8 (default "
                                 "%(default)s).")
        parser.add_argument("--lines", type=int, default=10_000, help="cashapp: bank lines to match.")
        parser.add_argument("--names", default="", help="cashapp: a file of company short names (字号), one a line.")
        parser.add_argument("--json", action="store_true", help="cashapp: one JSON line instead of the table.")
        parser.add_argument("--from-db", action="store_true",
                            help="cashapp: the lines pay the database's own customers and open invoices (its company) "
                                 "instead of a generated ledger; nothing is written.")
        parser.add_argument("--invoices", type=int, default=None, help="How many invoices to load (up to 10,000,000).")
        parser.add_argument("--customers", type=int, default=None, help="How many customers (default invoices/100).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed for the generated documents.")
        parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY,
                            help="The last day of the two years of documents, YYYY-MM-DD.")
        parser.add_argument("--batch-size", type=int, default=20_000, help="Invoices per insert transaction.")
        parser.add_argument("--samples", type=int, default=5, help="Customers to time the per-customer reads on.")
        parser.add_argument("--repeat", type=int, default=5, help="Repetitions of each per-customer read.")
        parser.add_argument("--also", default="",
                            help="Capabilities to time on the loaded data as well, comma-separated app labels "
                                 "(e.g. dunning,analytics): each app's bench.bench_measure() runs after the ledger's.")
        parser.add_argument("--force", action="store_true",
                            help="Load even though the database already holds invoices.")

    def handle(self, *args, scenario: str, invoices: int | None, customers: int | None, seed: int, today: date,
               batch_size: int, samples: int, repeat: int, force: bool, also: str, **options):
        if scenario == "api":
            self.api(workers=options["workers"], seconds=options["seconds"], warmup=options["warmup"],
                     concurrency=options["concurrency"], customers=customers or 200, seed=seed)
            return
        if scenario == "cashapp":
            self.cashapp(customers=customers or 10_000, lines=options["lines"], seed=seed, today=today,
                         names=options["names"], as_json=options["json"], from_db=options["from_db"])
            return
        if invoices is None:
            raise CommandError(_("--invoices is required."))
        extras = [label.strip() for label in also.split(",") if label.strip()]
        for label in extras:
            if find_spec(f"arms.{label}.bench") is None:
                raise CommandError(_("--also: %(label)s has no benchmark (arms.%(label)s.bench).") % {"label": label})
        if not 1 <= invoices <= 10_000_000:
            raise CommandError(_("--invoices must be between 1 and 10000000."))
        customers = customers or max(1, invoices // 100)
        if customers < 1 or batch_size < 1 or samples < 1 or repeat < 1:
            raise CommandError(_("--customers, --batch-size, --samples and --repeat must be positive."))
        if not 1 <= options["writers"] <= 8:
            raise CommandError(_("--writers must be between 1 and 8."))
        if Invoice.objects.exists() and not force:
            raise CommandError(_(
                "The database already holds invoices. arms bench writes a great many rows: run it on a fresh "
                "scratch database (arms setup with another DATABASE_URL), or pass --force."
            ))

        loader = Loader(invoices=invoices, customers=customers, seed=seed, today=today, batch_size=batch_size,
                        producer=not options["single_process"], defer_indexes=not options["keep_indexes"],
                        writers=options["writers"])
        console = Console(stderr=True)
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TimeRemainingColumn(), console=console, transient=False,
        ) as progress:
            task = progress.add_task(_("Loading invoices"), total=invoices)
            started = time.perf_counter()
            rows = loader.load(advance=lambda n: progress.advance(task, n))
            load_seconds = time.perf_counter() - started

        started = time.perf_counter()
        analyze_statement = analyze()
        analyze_seconds = time.perf_counter() - started

        sample = random.Random(seed).sample(loader.customer_ids, min(samples, len(loader.customer_ids)))
        total_rows = sum(rows.values())
        result = {
            "benchmark": "arms bench",
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "invoices": invoices,
            "customers": customers,
            "seed": seed,
            "batch_size": batch_size,
            "producer_process": loader.producer,
            "indexes_built_after_load": len(loader.deferred_indexes),
            "writers": loader.writers_used,
            "database": measure.database(),
            "machine": measure.machine(),
            "rows": {**rows, "total": total_rows},
            "load": {
                "seconds": round(load_seconds, 3),
                "rows_per_second": round(total_rows / load_seconds),
                "invoices_per_second": round(invoices / load_seconds),
            },
            "analyze_seconds": round(analyze_seconds, 3),
            "analyze_statement": analyze_statement,
            "open_items_for_customer": measure.open_items(sample, repeat),
            "customer_statement": measure.statement(sample, repeat, today),
            "ledger_check": measure.full_check(),
        }
        for label in extras:
            result[label] = import_module(f"arms.{label}.bench").bench_measure(today=today, seed=seed, repeat=repeat)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def cashapp(self, *, customers: int, lines: int, seed: int, today: date, names: str, as_json: bool,
                from_db: bool) -> None:
        if not 1 <= customers <= 1_000_000 or not 1 <= lines <= 1_000_000:
            raise CommandError(_("--customers and --lines must be between 1 and 1000000."))
        console = Console(stderr=True)
        if from_db:
            company = Company.objects.filter(code=settings.ARMS_COMPANY_CODE).first()
            with console.status(_("Reading the customers and open invoices")):
                ledger = cashapp.ledger_from_database(company, seed=seed) if company else None
            if ledger is None or not ledger.items:
                raise CommandError(_("--from-db: the database holds no open invoices to pay."))
            customers = len(ledger.customers)
        else:
            try:
                name_list = cashapp.read_names(names or None)
            except (OSError, UnicodeDecodeError) as error:
                message = _("--names: cannot read %(file)s (%(error)s).") % {"file": names, "error": error}
                raise CommandError(message) from error
            if not name_list:
                raise CommandError(_("--names: %(file)s holds no Chinese company names.") % {"file": names})
            with console.status(_("Generating the ledger")):
                ledger = cashapp.generate_ledger(customers, seed=seed, today=today, names=name_list)
        with console.status(_("Generating the bank lines")):
            cases = cashapp.generate_lines(ledger, lines, seed=seed + 1, today=today)
        with console.status(_("Matching")):
            result = cashapp.run(ledger, cases)
        figures = {
            "benchmark": "arms bench cashapp",
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "customers": customers,
            "ledger": "database" if from_db else "generated",
            "open_items": len(ledger.items),
            "lines": lines,
            "seed": seed,
            "threshold": cashapp.Rules().threshold,
            "machine": {**measure.machine(), "load_average": [round(x, 2) for x in os.getloadavg()]},
            "timing": result.timing,
            "statuses": result.statuses,
            "classes": result.figures,
        }
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        Console(file=self.stdout, width=140).print(cashapp_table(figures))


    def api(self, *, workers: str, seconds: float, warmup: float, concurrency: int, customers: int,
            seed: int) -> None:
        try:
            counts = [int(part) for part in workers.split(",") if part.strip()]
        except ValueError:
            counts = []
        if not counts or not all(1 <= n <= 32 for n in counts):
            raise CommandError(_("--workers: worker counts between 1 and 32, comma-separated (e.g. 1,4)."))
        if not 0.5 <= seconds <= 3_600 or not 0 <= warmup <= 600 or not 1 <= concurrency <= 1_000:
            raise CommandError(_("--seconds must be between 0.5 and 3600, --warmup between 0 and 600, "
                                 "--concurrency between 1 and 1000."))
        if not 1 <= customers <= 100_000:
            raise CommandError(_("--customers must be between 1 and 100000."))
        if not Invoice.objects.exists():
            raise CommandError(_("arms bench api needs a loaded book: run arms bench --invoices N on this scratch "
                                 "database first."))
        before = [round(x, 2) for x in os.getloadavg()]
        console = Console(stderr=True)
        with console.status(_("Serving with gunicorn and sending requests")):
            try:
                figures = apiload.run(workers=counts, seconds=seconds, warmup=warmup, concurrency=concurrency,
                                      customers=customers, seed=seed)
            except (RuntimeError, ValueError) as error:
                raise CommandError(str(error)) from error
        result = {
            "benchmark": "arms bench api",
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "invoices_in_book": Invoice.objects.count(),
            "database": measure.database(),
            "machine": {**measure.machine(), "load_average_before": before,
                        "load_average_after": [round(x, 2) for x in os.getloadavg()]},
            **figures,
        }
        console.print(api_table(result))
        self.stdout.write(json.dumps(result, ensure_ascii=False))


def api_table(figures: dict) -> Table:
    table = Table(title=_("The API under load: %(concurrency)s requests in flight, %(settings)s") % figures)
    for header in (_("workers"), _("endpoint"), _("requests"), _("errors"), _("requests/s"), _("p50 ms"),
                   _("p99 ms")):
        table.add_column(header, justify="left" if header == _("endpoint") else "right")
    for run in figures["runs"]:
        for name, row in run["endpoints"].items():
            table.add_row(str(run["workers"]), name, str(row["requests"]), str(row["errors"]),
                          str(row["requests_per_second"]), str(row["p50_ms"]), str(row["p99_ms"]),
                          end_section=name == "total")
    return table


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.3f}%"


def cashapp_table(figures: dict) -> Table:
    timing = figures["timing"]
    table = Table(
        title=_("Cash application: %(lines)s lines, %(customers)s customers, seed %(seed)s") % figures,
        caption=_("matching %(cpu)s lines/s CPU, %(wall)s lines/s wall; book built in %(book)s s")
        % {"cpu": timing["lines_per_second_cpu"], "wall": timing["lines_per_second_wall"],
           "book": timing["book_seconds_wall"]},
    )
    for header in (_("class"), _("lines"), _("auto-applied"), _("precision"), _("suggested right"),
                   _("wrongly applied"), _("set aside")):
        table.add_column(header, justify="left" if header == _("class") else "right")
    for kind, row in figures["classes"].items():
        table.add_row(kind, str(row["lines"]), _percent(row["auto_share"]), _percent(row["precision"]),
                      _percent(row["suggested_right_share"]), str(row["wrong_auto"]), str(row["set_aside"]),
                      end_section=kind == cashapp.CLASSES[-1])
    return table
