"""The allowance's invariant for ``arms ledger check`` (registered on ``hooks.LEDGER_CHECKS`` in
``ProvisioningConfig.ready``): per customer, the 1231 坏账准备 balance equals the provision runs' true-ups less the
net bad-debt write-offs (allocations of write-offs to account 1231, recoveries negative)."""

from __future__ import annotations

ALLOWANCE_CHECK = (
    "allowance_runs_and_write_offs",
    "per customer, the 1231 allowance = Σ provision runs' true-ups − Σ net bad-debt write-offs (recoveries back)",
    """
    SELECT c.id AS customer_id, c.code, COALESCE(j.balance, 0) AS journal,
           COALESCE(r.true_ups, 0) AS runs, COALESCE(w.written_off, 0) AS written_off
      FROM customers_customer c
      LEFT JOIN (SELECT l.customer_id, SUM(l.credit_minor - l.debit_minor) AS balance
                   FROM ledger_journalline l JOIN ledger_account acc ON acc.id = l.account_id
                  WHERE acc.code = '1231' GROUP BY l.customer_id) j ON j.customer_id = c.id
      LEFT JOIN (SELECT customer_id, SUM(true_up_minor) AS true_ups FROM provisioning_provisionline
                  GROUP BY customer_id) r ON r.customer_id = c.id
      LEFT JOIN (SELECT w.customer_id, SUM(a.receivable_base_minor) AS written_off
                   FROM ledger_allocation a JOIN ledger_writeoff w ON w.id = a.write_off_id
                  WHERE w.account = '1231' GROUP BY w.customer_id) w ON w.customer_id = c.id
     WHERE COALESCE(j.balance, 0) <> COALESCE(r.true_ups, 0) - COALESCE(w.written_off, 0)
    """,
)


def allowance_checks() -> list[tuple[str, str, str]]:
    return [ALLOWANCE_CHECK]
