"""Database triggers that keep activities and attachments immutable (the SQL sits beside this file).

SQLite refuses UPDATE (its test flush empties tables with DELETE, so deletes are refused by the model and
queryset there); PostgreSQL refuses UPDATE and DELETE.
"""

import sqlite3
from pathlib import Path

from django.db import migrations

HERE = Path(__file__).resolve().parent


def _run_sql(schema_editor, stem: str) -> None:
    vendor = schema_editor.connection.vendor
    path = HERE / f"{stem}.{vendor}.sql"
    if not path.exists():
        return
    sql = path.read_text()
    with schema_editor.connection.cursor() as cursor:
        raw = cursor.cursor
        if vendor == "sqlite":
            statement = ""
            for line in sql.splitlines(keepends=True):
                statement += line
                if sqlite3.complete_statement(statement):
                    raw.execute(statement)
                    statement = ""
        else:
            raw.execute(sql)


def forward(apps, schema_editor):
    _run_sql(schema_editor, "activity_immutable")


def backward(apps, schema_editor):
    _run_sql(schema_editor, "activity_immutable_reverse")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
