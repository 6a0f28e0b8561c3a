"""PostgreSQL: refuse a line added to a posted journal entry once per INSERT or COPY, not once per line.

``journal_tamper``'s trigger compared, for every line, the xmin of its entry with its own: two index look-ups a
line, half the time of inserting the 20,000 lines of 10,000 entries (psql on the 1M book: 238-248 ms with it,
118-126 ms with this one), which is what an import of 5,000 payments with allocations writes. The rule is the same
(the rows of one statement share one xmin); the statement-level trigger reads the new lines from its transition
table and looks each distinct entry up once. SQLite keeps its per-row trigger.
"""

from django.db import migrations

from arms.common.migrations_sql import sql_operation


class Migration(migrations.Migration):
    dependencies = [("ledger", "0017_open_items_covering")]
    operations = [sql_operation(__file__, "journal_lines_closed_per_statement")]
