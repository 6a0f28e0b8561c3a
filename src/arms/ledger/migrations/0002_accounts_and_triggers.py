"""The chart of accounts ARMS posts to, and the database triggers that guard the journal.

SQLite: journal rows cannot be updated or deleted. PostgreSQL: the same, plus a deferred constraint
trigger that refuses to commit an entry whose debits and credits differ. The SQL sits beside this file
(``journal_integrity.<vendor>.sql``, loaded by ``arms.common.migrations_sql``).
"""

from django.db import migrations

from arms.common.migrations_sql import sql_operation

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


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [
        migrations.RunPython(create_accounts, migrations.RunPython.noop),
        sql_operation(__file__, "journal_integrity"),
    ]
