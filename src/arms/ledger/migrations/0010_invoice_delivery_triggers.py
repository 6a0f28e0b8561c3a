"""Database triggers that keep invoice delivery records immutable (the SQL sits beside this file).

SQLite refuses UPDATE (its test flush empties tables with DELETE, so deletes are refused by the model and
queryset there); PostgreSQL refuses UPDATE and DELETE.
"""

from django.db import migrations

from arms.common.migrations_sql import sql_operation


class Migration(migrations.Migration):
    dependencies = [("ledger", "0009_invoice_delivery")]
    operations = [sql_operation(__file__, "invoice_delivery_immutable")]
