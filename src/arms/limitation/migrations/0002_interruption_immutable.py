"""Database triggers that keep limitation interruptions immutable (the SQL sits beside this file).

SQLite refuses UPDATE (its test flush empties tables with DELETE, so deletes are refused by the model and
queryset there); PostgreSQL refuses UPDATE and DELETE.
"""

from django.db import migrations

from arms.common.migrations_sql import sql_operation


class Migration(migrations.Migration):
    dependencies = [("limitation", "0001_initial")]
    operations = [sql_operation(__file__, "interruption_immutable")]
