"""The payments reversed in a period through a small partial index, not a scan of every payment.

The KPI set's cash collected (received less reversed in the period) scanned the whole payment table for the few
reversed ones: about 100 ms a month at 1M invoices (docs/benchmarks.md). Reversals are rare, so the index is small.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0015_journal_balance_per_entry"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(condition=models.Q(("status", "reversed")), fields=["reversal_date"],
                               name="payment_reversed_on"),
        ),
    ]
