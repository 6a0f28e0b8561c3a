"""Refuse TRUNCATE of the audit sub-chains on PostgreSQL, as of the main trail (the SQL sits beside this file)."""

from django.db import migrations

from arms.common.migrations_sql import sql_operation


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_audit_batches")]
    operations = [sql_operation(__file__, "batches_tamper")]
