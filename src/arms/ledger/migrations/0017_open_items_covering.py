"""PostgreSQL: the partial index of open items (``invoice_open_by_customer``) also carries the columns the
book-wide reads of today's open items use, so that those reads need not visit the invoice table.

The aging summary, its Excel export, the collectors' worklist and the dunning selection read every open item:
its customer, due and issue dates, currency, open amount, and for an invoice in another currency its id and CNY
gross (for the allocations' CNY sum). Open items are spread over the whole table (an old invoice paid in part
stays open), so at 1M invoices the 236,466 open items sat on all of its 22,223 pages, and reading them was a third
of the aging's first page. With these columns in the index (``INCLUDE``: they are carried, not sorted), PostgreSQL
reads them by an index-only scan wherever the visibility map marks a page all-visible, which autovacuum keeps up;
elsewhere it reads the table as before (docs/benchmarks.md, docs/production.md).

Django's ``Index`` keeps the key and the condition (``Invoice.Meta``); the ``INCLUDE`` is stated here, for
PostgreSQL only: SQLite has no covering indexes.
"""

from django.db import migrations

from arms.common.migrations_sql import sql_operation


class Migration(migrations.Migration):
    dependencies = [("ledger", "0016_payment_reversed_on")]
    operations = [sql_operation(__file__, "open_items_covering")]
