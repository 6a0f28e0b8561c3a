"""Database triggers that keep a confirmation's figures frozen and a confirmed confirmation unchanged (the SQL
sits beside this file). SQLite refuses the UPDATE; PostgreSQL refuses the UPDATE and a DELETE of a confirmed row."""

from django.db import migrations

from arms.common.migrations_sql import sql_operation


class Migration(migrations.Migration):
    dependencies = [("confirmations", "0001_initial")]
    operations = [sql_operation(__file__, "confirmation_immutable")]
