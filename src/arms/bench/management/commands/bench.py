"""arms bench: load N invoices (with payments, allocations and their journal) in bulk, then time the reads.

Prints one JSON line on stdout; the progress bar goes to stderr.
"""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, date, datetime
from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from arms.bench import measure
from arms.bench.load import Loader, analyze
from arms.ledger.models import Invoice

DEFAULT_TODAY = date(2026, 11, 20)


class Command(BaseCommand):
    help = "Benchmark: bulk-load N invoices into a scratch database, then time open items, statement, ledger check."

    def add_arguments(self, parser):
        parser.add_argument("--invoices", type=int, required=True, help="How many invoices to load (up to 1,000,000).")
        parser.add_argument("--customers", type=int, default=None, help="How many customers (default invoices/100).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed for the generated documents.")
        parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY,
                            help="The last day of the two years of documents, YYYY-MM-DD.")
        parser.add_argument("--batch-size", type=int, default=5_000, help="Invoices per insert transaction.")
        parser.add_argument("--samples", type=int, default=5, help="Customers to time the per-customer reads on.")
        parser.add_argument("--repeat", type=int, default=5, help="Repetitions of each per-customer read.")
        parser.add_argument("--also", default="",
                            help="Capabilities to time on the loaded data as well, comma-separated app labels "
                                 "(e.g. dunning,analytics): each app's bench.bench_measure() runs after the ledger's.")
        parser.add_argument("--force", action="store_true",
                            help="Load even though the database already holds invoices.")

    def handle(self, *args, invoices: int, customers: int | None, seed: int, today: date, batch_size: int,
               samples: int, repeat: int, force: bool, also: str, **options):
        extras = [label.strip() for label in also.split(",") if label.strip()]
        for label in extras:
            if find_spec(f"arms.{label}.bench") is None:
                raise CommandError(_("--also: %(label)s has no benchmark (arms.%(label)s.bench).") % {"label": label})
        if not 1 <= invoices <= 10_000_000:
            raise CommandError(_("--invoices must be between 1 and 10000000."))
        customers = customers or max(1, invoices // 100)
        if customers < 1 or batch_size < 1 or samples < 1 or repeat < 1:
            raise CommandError(_("--customers, --batch-size, --samples and --repeat must be positive."))
        if Invoice.objects.exists() and not force:
            raise CommandError(_(
                "The database already holds invoices. arms bench writes a great many rows: run it on a fresh "
                "scratch database (arms setup with another DATABASE_URL), or pass --force."
            ))

        loader = Loader(invoices=invoices, customers=customers, seed=seed, today=today, batch_size=batch_size)
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
        analyze()
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
            "database": measure.database(),
            "machine": measure.machine(),
            "rows": {**rows, "total": total_rows},
            "load": {
                "seconds": round(load_seconds, 3),
                "rows_per_second": round(total_rows / load_seconds),
                "invoices_per_second": round(invoices / load_seconds),
            },
            "analyze_seconds": round(analyze_seconds, 3),
            "open_items_for_customer": measure.open_items(sample, repeat),
            "customer_statement": measure.statement(sample, repeat, today),
            "ledger_check": measure.full_check(),
        }
        for label in extras:
            result[label] = import_module(f"arms.{label}.bench").bench_measure(today=today, seed=seed, repeat=repeat)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
