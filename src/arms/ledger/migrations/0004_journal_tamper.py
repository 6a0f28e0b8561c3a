"""Refuse TRUNCATE of the journal (PostgreSQL) and any line added to a posted entry (both databases).

The SQL sits beside this file (``journal_tamper.<vendor>.sql``). Together with ``journal_integrity`` the
database refuses UPDATE, DELETE, TRUNCATE and late INSERT of journal rows; what a superuser can still do
with the triggers disabled is found by the line hashes in the audit trail (ADR 0004).
"""

from django.db import migrations

from arms.common.migrations_sql import sql_operation


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_amount_bounds_inputs")]
    operations = [sql_operation(__file__, "journal_tamper")]
