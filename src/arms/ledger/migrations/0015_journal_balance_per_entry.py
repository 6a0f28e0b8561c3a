"""PostgreSQL: check each journal entry's balance once at commit, not once per line (ADR 0002).

The deferred balance check fired for every line (three for an invoice); the bulk path writes tens of thousands of
lines a call, and the commit spent seconds summing the same entries again. The check now fires once per entry
(a deferred trigger on the entry), which sees all its lines, since a line can only be written by the transaction
that writes its entry (``journal_tamper``). A line written after some check already ran in the transaction (``SET
CONSTRAINTS ... IMMEDIATE``) gets a check of its own, as before, so every entry is still checked after its last
line. SQLite keeps its own rule (``journal_tamper``): nothing changes there.
"""

from django.db import migrations

from arms.common.migrations_sql import sql_operation


class Migration(migrations.Migration):
    dependencies = [("ledger", "0014_discounts_deposits")]
    operations = [sql_operation(__file__, "journal_balance_per_entry")]
