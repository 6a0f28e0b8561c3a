"""The one way a migration runs hand-written SQL (triggers, functions) that the ORM cannot express.

Files sit beside the migration that loads them and are named ``<name>.<vendor>.sql`` with the undo in
``<name>.<vendor>.reverse.sql`` (``vendor`` is Django's: ``postgresql``, ``sqlite``). A vendor without a
file for ``name`` runs nothing, so a rule that only one database can state is simply absent on the other.

    from arms.common.migrations_sql import sql_operation
    operations = [sql_operation(__file__, "journal_tamper")]
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.db import migrations


def sql_path(directory: Path, name: str, vendor: str, *, reverse: bool = False) -> Path:
    return directory / f"{name}.{vendor}{'.reverse' if reverse else ''}.sql"


def run_sql(schema_editor, directory: Path, name: str, *, reverse: bool = False) -> None:
    """Run ``<name>.<vendor>[.reverse].sql`` from ``directory`` on the migration's connection, if it exists."""
    vendor = schema_editor.connection.vendor
    path = sql_path(directory, name, vendor, reverse=reverse)
    if not path.exists():
        return
    sql = path.read_text()
    with schema_editor.connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's cursor: no placeholder parsing of the '%' in PL/pgSQL
        if vendor == "sqlite":
            # sqlite3 runs one statement per execute (executescript would commit mid-migration)
            statement = ""
            for line in sql.splitlines(keepends=True):
                statement += line
                if sqlite3.complete_statement(statement):
                    raw.execute(statement)
                    statement = ""
        else:
            raw.execute(sql)


def sql_operation(migration_file: str, name: str) -> migrations.RunPython:
    """A reversible operation that runs ``name``'s SQL files beside ``migration_file`` (pass ``__file__``)."""
    directory = Path(migration_file).resolve().parent

    def forward(apps, schema_editor):
        run_sql(schema_editor, directory, name)

    def backward(apps, schema_editor):
        run_sql(schema_editor, directory, name, reverse=True)

    return migrations.RunPython(forward, backward)
