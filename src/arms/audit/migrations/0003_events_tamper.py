"""Refuse TRUNCATE of the audit trail on PostgreSQL (the SQL sits beside this file)."""

from django.db import migrations

from arms.common.migrations_sql import sql_operation


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_head")]
    operations = [sql_operation(__file__, "events_tamper")]
