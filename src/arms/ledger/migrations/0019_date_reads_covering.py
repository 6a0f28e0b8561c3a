"""PostgreSQL: the indexes on the dates that the KPIs read by range also carry the amounts those reads sum, so that
PostgreSQL answers them from the index alone (an index-only scan) where the pages are all-visible.

At 1M invoices (100,000 customers) the KPI set of a month read, besides the receivables:

- the credit sales by month (``invoice.issue_date`` → ``gross_base_minor``): 22,210 heap pages for three months
  and a whole-table scan for the countback's older months (0.11 s and 0.15 s);
- the cash collected (``payment.received_date`` → ``amount_base_minor``): 14,815 heap pages (0.06 s);
- the allocations dated after a day, summed per invoice in the joined tables of the open items of a past day,
  the payment timeliness and 催收成功率 (``allocation.date`` → the invoice, amounts and kind): 11,023 heap pages
  for a month's 32,232 allocations, read once per worker.

Each index keeps its name, key and the place Django gave it (``db_index=True``); the ``INCLUDE`` columns are carried,
not sorted, and are stated here for PostgreSQL only (SQLite has no covering indexes). Invoices and payments gain no
index: an update of an invoice's open amount, which is not HOT anyway (``invoice_open_by_customer``), writes one
entry per index as before. docs/benchmarks.md has the figures.
"""

from django.db import migrations

from arms.common.migrations_sql import sql_operation


class Migration(migrations.Migration):
    dependencies = [("ledger", "0018_journal_lines_closed_per_statement")]
    operations = [sql_operation(__file__, "date_reads_covering")]
