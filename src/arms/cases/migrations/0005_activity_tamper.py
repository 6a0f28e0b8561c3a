"""Refuse TRUNCATE of activities and attachments on PostgreSQL (the SQL sits beside this file)."""

from django.db import migrations

from arms.common.migrations_sql import sql_operation


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_text_bounds_inputs")]
    operations = [sql_operation(__file__, "activity_tamper")]
