"""arms import customers|contracts|invoices|payments FILE [--dry-run] [--user NAME] [--progress] [--encoding E]

Checks every row first and lists every bad one (line, column, reason) on stderr, exiting 1 with nothing
written; otherwise creates all rows in one transaction and prints what it did.
"""

import sys
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from arms.common.commands import command_error, command_user
from arms.common.errors import ArmsError
from arms.imports.columns import KINDS
from arms.imports.errors import ImportInvalid
from arms.imports.services import import_file


class Command(BaseCommand):
    help = "Import customers, contracts, invoices or payments from a CSV or XLSX file: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", help="A .csv (UTF-8 or GB18030/GBK) or .xlsx file (first sheet).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row; write nothing.")
        parser.add_argument("--user", help="Who imports: the username recorded on the documents and audit trail.")
        parser.add_argument("--encoding", default="", choices=["utf-8", "gb18030", "latin-1", "cp1252"],
                            help="The CSV file's encoding, when ARMS cannot tell it (default: detect).")
        parser.add_argument("--progress", action="store_true",
                            help="Show a progress bar even when stderr is not a terminal.")

    def handle(self, *args, kind, file, dry_run=False, user=None, progress=False, encoding="", **options):
        actor = command_user(user)
        try:
            with open(file, "rb") as handle, self._progress(progress or sys.stderr.isatty()) as report:
                result = import_file(kind=kind, file=handle, filename=file, actor=actor, dry_run=dry_run,
                                     progress=report, encoding=encoding)
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(problem)s")
                               % {"file": file, "problem": exc.strerror}) from exc
        except ImportInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise command_error(exc) from exc
        except ArmsError as exc:
            raise command_error(exc) from exc
        summary = _("%(kind)s: %(rows)s rows, %(created)s created, %(skipped)s already in ARMS (skipped)") % {
            "kind": kind, "rows": result.rows, "created": result.created, "skipped": result.skipped}
        if dry_run:
            summary = _("Dry run, nothing written. %(summary)s") % {"summary": summary}
        self.stdout.write(summary)

    @contextmanager
    def _progress(self, enabled: bool):
        """A rich progress bar on stderr, fed by the import's (stage, done, total) callback."""
        if not enabled:
            yield None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        labels = {"check": _("Checking rows"), "write": _("Writing rows")}
        tasks = {}
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=Console(file=sys.stderr)) as bar:

            def report(stage: str, done: int, total: int | None) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(labels[stage], total=total)
                bar.update(tasks[stage], completed=done, total=total)

            yield report
