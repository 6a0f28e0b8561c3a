"""The chart of accounts ARMS posts to, and the database triggers that guard the journal.

SQLite: journal rows cannot be updated or deleted. PostgreSQL: the same, plus a deferred constraint
trigger that refuses to commit an entry whose debits and credits differ. The SQL sits beside this file.
"""

import sqlite3
from pathlib import Path

from django.db import migrations

HERE = Path(__file__).resolve().parent
ACCOUNTS = [
    ("1002", "银行存款", "Bank"),
    ("1121", "应收票据", "Notes receivable (acceptance bills)"),
    ("1122", "应收账款", "Accounts receivable"),
    ("2203", "预收账款（未核销收款）", "Unapplied cash"),
    ("22210106", "应交税费-应交增值税（销项税额）", "Output VAT"),
    ("6001", "主营业务收入", "Revenue"),
    ("6603", "财务费用-汇兑损益", "FX difference"),
]


def create_accounts(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for code, name, name_en in ACCOUNTS:
        Account.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})


def _run_sql(schema_editor, stem: str) -> None:
    vendor = schema_editor.connection.vendor
    path = HERE / f"{stem.format(vendor=vendor)}.sql"
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


def triggers_forward(apps, schema_editor):
    name = "journal_immutable.sqlite" if schema_editor.connection.vendor == "sqlite" else "journal_integrity.{vendor}"
    _run_sql(schema_editor, name)


def triggers_backward(apps, schema_editor):
    name = "journal_immutable.sqlite" if schema_editor.connection.vendor == "sqlite" else "journal_integrity.{vendor}"
    _run_sql(schema_editor, name + ".reverse")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [
        migrations.RunPython(create_accounts, migrations.RunPython.noop),
        migrations.RunPython(triggers_forward, triggers_backward),
    ]
