"""``arms ledger check``: verify every ledger invariant on a live database, one SQL aggregate each.

Each check returns the offending rows (at most ``limit`` of them); an empty list means it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from arms.common import hooks


def _documents_against_account(account: str, column: str) -> str:
    """Per customer, the credit balance of ``account`` against invoices' ``column`` minus credit notes' (revenue
    and output VAT are the same check on a different account and amount). An early-payment discount credit note
    touches neither: it is a finance cost (6603) and leaves the VAT base as invoiced."""
    return f"""
        SELECT c.id AS customer_id, c.code, COALESCE(j.balance, 0) AS journal,
               COALESCE(i.amount, 0) - COALESCE(n.amount, 0) AS documents
          FROM customers_customer c
          LEFT JOIN (SELECT l.customer_id, SUM(l.credit_minor - l.debit_minor) AS balance
                       FROM ledger_journalline l JOIN ledger_account acc ON acc.id = l.account_id
                      WHERE acc.code = '{account}' GROUP BY l.customer_id) j ON j.customer_id = c.id
          LEFT JOIN (SELECT customer_id, SUM({column}) AS amount FROM ledger_invoice GROUP BY customer_id) i
                 ON i.customer_id = c.id
          LEFT JOIN (SELECT customer_id, SUM({column}) AS amount FROM ledger_creditnote
                      WHERE kind <> 'discount' GROUP BY customer_id) n
                 ON n.customer_id = c.id
         WHERE COALESCE(j.balance, 0) <> COALESCE(i.amount, 0) - COALESCE(n.amount, 0)
        """


#: (code, what it means, SQL that returns offending rows). Control-account SQL compares the journal's
#: per-customer balance with the sub-ledger built from documents.
CHECKS: list[tuple[str, str, str]] = [
    (
        "invoice_open_amount",
        "open amount = gross - allocations, between 0 and gross",
        """
        SELECT i.id, i.number, i.gross_minor, i.amount_open_minor, COALESCE(a.total, 0) AS allocated
          FROM ledger_invoice i
          LEFT JOIN (SELECT invoice_id, SUM(amount_minor) AS total FROM ledger_allocation GROUP BY invoice_id) a
                 ON a.invoice_id = i.id
         WHERE i.amount_open_minor <> i.gross_minor - COALESCE(a.total, 0)
            OR i.amount_open_minor < 0 OR i.amount_open_minor > i.gross_minor
        """,
    ),
    (
        "payment_unallocated_amount",
        "a posted payment's unallocated amount = amount - allocations; a reversed one has none allocated",
        """
        SELECT p.id, p.number, p.status, p.amount_minor, p.amount_unallocated_minor, COALESCE(a.total, 0) AS allocated
          FROM ledger_payment p
          LEFT JOIN (SELECT payment_id, SUM(amount_minor) AS total FROM ledger_allocation
                      WHERE payment_id IS NOT NULL GROUP BY payment_id) a ON a.payment_id = p.id
         WHERE (p.status = 'posted' AND p.amount_unallocated_minor <> p.amount_minor - COALESCE(a.total, 0))
            OR (p.status = 'reversed' AND (COALESCE(a.total, 0) <> 0 OR p.amount_unallocated_minor <> 0))
            OR COALESCE(a.total, 0) > p.amount_minor
        """,
    ),
    (
        "credit_note_allocated",
        "a credit note is allocated to its invoice for exactly its gross amount",
        """
        SELECT c.id, c.number, c.gross_minor, COALESCE(a.total, 0) AS allocated
          FROM ledger_creditnote c
          LEFT JOIN (SELECT credit_note_id, SUM(amount_minor) AS total FROM ledger_allocation
                      WHERE credit_note_id IS NOT NULL GROUP BY credit_note_id) a ON a.credit_note_id = c.id
         WHERE COALESCE(a.total, 0) <> c.gross_minor
        """,
    ),
    (
        "journal_entry_balanced",
        "every journal entry has lines and its debits equal its credits",
        """
        SELECT e.id, e.kind, COALESCE(SUM(l.debit_minor), 0) AS debit, COALESCE(SUM(l.credit_minor), 0) AS credit
          FROM ledger_journalentry e LEFT JOIN ledger_journalline l ON l.entry_id = e.id
         GROUP BY e.id, e.kind
        HAVING COUNT(l.id) = 0 OR COALESCE(SUM(l.debit_minor), 0) <> COALESCE(SUM(l.credit_minor), 0)
        """,
    ),
    (
        "journal_line_customer",
        "every journal line is on its entry's customer (the sub-ledger the control accounts are reconciled by)",
        """
        SELECT l.id, l.entry_id, l.customer_id, e.customer_id AS entry_customer_id
          FROM ledger_journalline l JOIN ledger_journalentry e ON e.id = l.entry_id
         WHERE l.customer_id <> e.customer_id
        """,
    ),
    (
        "document_posted",
        "every invoice, credit note, payment, allocation, write-off and recovery has its journal entry",
        """
        SELECT 'invoice' AS kind, i.id, i.number FROM ledger_invoice i
         WHERE NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.invoice_id = i.id AND e.kind = 'invoice')
        UNION ALL
        SELECT 'credit_note', c.id, c.number FROM ledger_creditnote c
         WHERE NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.credit_note_id = c.id)
        UNION ALL
        SELECT 'payment', p.id, p.number FROM ledger_payment p
         WHERE NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.payment_id = p.id AND e.kind = 'payment')
        UNION ALL
        SELECT 'allocation', a.id, '' FROM ledger_allocation a
         WHERE a.payment_id IS NOT NULL AND (a.receivable_base_minor <> 0 OR a.cash_base_minor <> 0)
           AND NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.allocation_id = a.id)
        UNION ALL
        SELECT CASE WHEN a.amount_minor > 0 THEN 'write_off' ELSE 'write_off_recovery' END, a.id, w.reference
          FROM ledger_allocation a JOIN ledger_writeoff w ON w.id = a.write_off_id
         WHERE a.receivable_base_minor <> 0
           AND NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.allocation_id = a.id
                              AND e.kind = CASE WHEN a.amount_minor > 0 THEN 'write_off'
                                                ELSE 'write_off_recovery' END)
        """,
    ),
    (
        "allocation_consistent",
        "an allocation joins a payment and an invoice of the same customer and currency (or a credit note and its"
        " invoice, or a write-off and its invoice), is not dated before either, and a reversing row mirrors the"
        " allocation it undoes",
        """
        SELECT a.id, a.invoice_id, a.payment_id, a.credit_note_id, a.reverses_id, a.amount_minor
          FROM ledger_allocation a
          JOIN ledger_invoice i ON i.id = a.invoice_id
          LEFT JOIN ledger_payment p ON p.id = a.payment_id
          LEFT JOIN ledger_creditnote c ON c.id = a.credit_note_id
          LEFT JOIN ledger_allocation o ON o.id = a.reverses_id
          LEFT JOIN ledger_writeoff w ON w.id = a.write_off_id
         WHERE a.date < i.issue_date
            OR (w.id IS NOT NULL AND (w.invoice_id <> i.id OR a.date < w.date OR a.cash_base_minor <> 0
                                      OR a.reverses_id IS NOT NULL))
            OR (p.id IS NOT NULL AND (p.customer_id <> i.customer_id OR p.currency <> i.currency
                                      OR a.date < p.received_date))
            OR (c.id IS NOT NULL AND (c.invoice_id <> i.id OR a.date <> c.date))
            OR (o.id IS NOT NULL AND (o.invoice_id <> a.invoice_id OR o.reverses_id IS NOT NULL
                                      OR COALESCE(o.payment_id, 0) <> COALESCE(a.payment_id, 0)
                                      OR o.write_off_id IS NOT NULL
                                      OR o.amount_minor <> -a.amount_minor
                                      OR o.receivable_base_minor <> -a.receivable_base_minor
                                      OR o.cash_base_minor <> -a.cash_base_minor OR a.date < o.date))
        """,
    ),
    (
        "write_off_consistent",
        "a write-off is on its invoice's customer and currency, settles its invoice by exactly one allocation of its"
        " amount and base amount, and its recoveries total no more than it",
        """
        SELECT w.id, w.reference, w.amount_minor, w.base_minor, COALESCE(p.amount, 0) AS allocated,
               COALESCE(p.base, 0) AS allocated_base, COALESCE(p.rows, 0) AS allocations,
               COALESCE(r.amount, 0) AS recovered
          FROM ledger_writeoff w
          JOIN ledger_invoice i ON i.id = w.invoice_id
          LEFT JOIN (SELECT write_off_id, SUM(amount_minor) AS amount, SUM(receivable_base_minor) AS base,
                            COUNT(*) AS rows
                       FROM ledger_allocation WHERE write_off_id IS NOT NULL AND amount_minor > 0
                      GROUP BY write_off_id) p ON p.write_off_id = w.id
          LEFT JOIN (SELECT write_off_id, -SUM(amount_minor) AS amount, -SUM(receivable_base_minor) AS base
                       FROM ledger_allocation WHERE write_off_id IS NOT NULL AND amount_minor < 0
                      GROUP BY write_off_id) r ON r.write_off_id = w.id
         WHERE w.customer_id <> i.customer_id OR w.currency <> i.currency OR w.company_id <> i.company_id
            OR COALESCE(p.rows, 0) <> 1 OR COALESCE(p.amount, 0) <> w.amount_minor
            OR COALESCE(p.base, 0) <> w.base_minor
            OR COALESCE(r.amount, 0) > w.amount_minor OR COALESCE(r.base, 0) > w.base_minor
        """,
    ),
    (
        "receivables_control",
        "per customer, the 1122 receivables balance = open invoices (CNY at their posting rates)",
        """
        SELECT c.id AS customer_id, c.code, COALESCE(j.balance, 0) AS journal, COALESCE(d.open_base, 0) AS documents
          FROM customers_customer c
          LEFT JOIN (SELECT l.customer_id, SUM(l.debit_minor - l.credit_minor) AS balance
                       FROM ledger_journalline l JOIN ledger_account acc ON acc.id = l.account_id
                      WHERE acc.code = '1122' GROUP BY l.customer_id) j ON j.customer_id = c.id
          LEFT JOIN (SELECT i.customer_id, SUM(i.gross_base_minor) - COALESCE(SUM(r.relieved), 0) AS open_base
                       FROM ledger_invoice i
                       LEFT JOIN (SELECT invoice_id, SUM(receivable_base_minor) AS relieved
                                    FROM ledger_allocation GROUP BY invoice_id) r ON r.invoice_id = i.id
                      GROUP BY i.customer_id) d ON d.customer_id = c.id
         WHERE COALESCE(j.balance, 0) <> COALESCE(d.open_base, 0)
        """,
    ),
    (
        "unapplied_cash_control",
        "per customer, the 2203 unapplied-cash balance = unallocated payments (CNY at their posting rates)",
        """
        SELECT c.id AS customer_id, c.code, COALESCE(j.balance, 0) AS journal, COALESCE(d.unapplied, 0) AS documents
          FROM customers_customer c
          LEFT JOIN (SELECT l.customer_id, SUM(l.credit_minor - l.debit_minor) AS balance
                       FROM ledger_journalline l JOIN ledger_account acc ON acc.id = l.account_id
                      WHERE acc.code = '2203' GROUP BY l.customer_id) j ON j.customer_id = c.id
          LEFT JOIN (SELECT p.customer_id,
                            SUM(CASE WHEN p.status = 'posted' THEN p.amount_base_minor ELSE 0 END)
                              - COALESCE(SUM(u.used), 0) AS unapplied
                       FROM ledger_payment p
                       LEFT JOIN (SELECT payment_id, SUM(cash_base_minor) AS used FROM ledger_allocation
                                   WHERE payment_id IS NOT NULL GROUP BY payment_id) u ON u.payment_id = p.id
                      GROUP BY p.customer_id) d ON d.customer_id = c.id
         WHERE COALESCE(j.balance, 0) <> COALESCE(d.unapplied, 0)
        """,
    ),
    (
        "cash_control",
        "per customer, cash 1002 and notes 1121 = payments recorded by transfer/cash and by bill (CNY at their"
        " posting rates, less the bank charges deducted), less those reversed",
        """
        SELECT c.id AS customer_id, c.code, accounts.account, COALESCE(j.balance, 0) AS journal,
               COALESCE(d.received, 0) AS documents
          FROM customers_customer c
          CROSS JOIN (SELECT '1002' AS account UNION ALL SELECT '1121') accounts
          LEFT JOIN (SELECT l.customer_id, acc.code AS account, SUM(l.debit_minor - l.credit_minor) AS balance
                       FROM ledger_journalline l JOIN ledger_account acc ON acc.id = l.account_id
                      WHERE acc.code IN ('1002', '1121') GROUP BY l.customer_id, acc.code) j
                 ON j.customer_id = c.id AND j.account = accounts.account
          LEFT JOIN (SELECT p.customer_id,
                            CASE WHEN p.method IN ('bank_acceptance', 'commercial_acceptance') THEN '1121'
                                 ELSE '1002' END AS account,
                            SUM(p.amount_base_minor - p.charge_base_minor) AS received
                       FROM ledger_payment p WHERE p.status = 'posted'
                      GROUP BY p.customer_id,
                               CASE WHEN p.method IN ('bank_acceptance', 'commercial_acceptance') THEN '1121'
                                    ELSE '1002' END) d
                 ON d.customer_id = c.id AND d.account = accounts.account
         WHERE COALESCE(j.balance, 0) <> COALESCE(d.received, 0)
        """,
    ),
    (
        "revenue_control",
        "per customer, revenue 6001 = invoiced net minus credit notes' net (CNY at their posting rates)",
        _documents_against_account("6001", "net_base_minor"),
    ),
    (
        "vat_control",
        "per customer, output VAT 22210106 = invoiced tax minus credited tax (CNY at their posting rates)",
        _documents_against_account("22210106", "tax_base_minor"),
    ),
    (
        "entry_matches_document",
        "each entry posts exactly its document's amounts to cash, revenue and VAT (an invoice its net and tax, a"
        " credit note the reverse (an early-payment discount none of them, its amount from 1122 to 6603), a payment"
        " its amount (less a bank charge, which goes to 6603), an allocation, a"
        " provision or a write-off none of them) and names a document (a provision run's entries excepted); a"
        " write-off moves its allocation's receivable between 1122 and the write-off's account, a recovery back",
        """
        SELECT e.kind, e.id AS entry_id,
               COALESCE(cn.number, p.number, i.number, '') AS document,
               COALESCE(s.cash, 0) AS cash, COALESCE(s.revenue, 0) AS revenue, COALESCE(s.vat, 0) AS vat
          FROM ledger_journalentry e
          LEFT JOIN (SELECT l.entry_id,
                            SUM(CASE WHEN a.code IN ('1002', '1121') THEN l.debit_minor - l.credit_minor ELSE 0 END)
                              AS cash,
                            SUM(CASE WHEN a.code = '6001' THEN l.credit_minor - l.debit_minor ELSE 0 END) AS revenue,
                            SUM(CASE WHEN a.code = '22210106' THEN l.credit_minor - l.debit_minor ELSE 0 END) AS vat,
                            SUM(CASE WHEN a.code = '6603' THEN l.debit_minor - l.credit_minor ELSE 0 END) AS charge,
                            SUM(CASE WHEN a.code = '1122' THEN l.debit_minor - l.credit_minor ELSE 0 END)
                              AS receivable
                       FROM ledger_journalline l JOIN ledger_account a ON a.id = l.account_id
                      GROUP BY l.entry_id) s ON s.entry_id = e.id
          LEFT JOIN ledger_allocation wa ON wa.id = e.allocation_id AND e.kind IN ('write_off', 'write_off_recovery')
          LEFT JOIN ledger_writeoff w ON w.id = wa.write_off_id
          LEFT JOIN ledger_invoice i ON i.id = e.invoice_id
          LEFT JOIN ledger_creditnote cn ON cn.id = e.credit_note_id
          LEFT JOIN ledger_payment p ON p.id = e.payment_id
         WHERE (e.kind <> 'provision' AND e.invoice_id IS NULL AND e.credit_note_id IS NULL AND e.payment_id IS NULL)
            OR (e.kind = 'invoice' AND (i.id IS NULL OR COALESCE(s.cash, 0) <> 0
                                       OR COALESCE(s.revenue, 0) <> i.net_base_minor
                                       OR COALESCE(s.vat, 0) <> i.tax_base_minor))
            OR (e.kind = 'credit_note' AND (cn.id IS NULL OR cn.kind <> 'discount')
                AND (cn.id IS NULL OR COALESCE(s.cash, 0) <> 0
                     OR COALESCE(s.revenue, 0) <> -cn.net_base_minor
                     OR COALESCE(s.vat, 0) <> -cn.tax_base_minor))
            OR (e.kind = 'credit_note' AND cn.kind = 'discount'
                AND (COALESCE(s.cash, 0) <> 0 OR COALESCE(s.revenue, 0) <> 0 OR COALESCE(s.vat, 0) <> 0
                     OR COALESCE(s.charge, 0) <> cn.gross_base_minor
                     OR COALESCE(s.receivable, 0) <> -cn.gross_base_minor))
            OR (e.kind = 'payment' AND (p.id IS NULL
                                       OR COALESCE(s.cash, 0) <> p.amount_base_minor - p.charge_base_minor
                                       OR COALESCE(s.charge, 0) <> p.charge_base_minor
                                       OR COALESCE(s.revenue, 0) <> 0 OR COALESCE(s.vat, 0) <> 0))
            OR (e.kind = 'payment_reversal' AND (p.id IS NULL OR p.status <> 'reversed'
                                                OR COALESCE(s.cash, 0) <> p.charge_base_minor - p.amount_base_minor
                                                OR COALESCE(s.charge, 0) <> -p.charge_base_minor
                                                OR COALESCE(s.revenue, 0) <> 0 OR COALESCE(s.vat, 0) <> 0))
            OR (e.kind IN ('allocation', 'allocation_reversal', 'provision', 'write_off', 'write_off_recovery')
                AND (COALESCE(s.cash, 0) <> 0 OR COALESCE(s.revenue, 0) <> 0 OR COALESCE(s.vat, 0) <> 0))
            OR (e.kind IN ('write_off', 'write_off_recovery')
                AND (w.id IS NULL OR e.invoice_id <> wa.invoice_id
                     OR (e.kind = 'write_off' AND wa.amount_minor <= 0)
                     OR (e.kind = 'write_off_recovery' AND wa.amount_minor >= 0)
                     OR COALESCE(s.receivable, 0) <> -wa.receivable_base_minor
                     OR (SELECT COALESCE(SUM(l2.debit_minor - l2.credit_minor), 0)
                           FROM ledger_journalline l2 JOIN ledger_account a2 ON a2.id = l2.account_id
                          WHERE l2.entry_id = e.id AND a2.code = w.account) <> wa.receivable_base_minor))
        """,
    ),
    (
        "open_amount_matches_base",
        "an invoice with nothing open has relieved its whole receivable, and a settled payment all its cash",
        """
        SELECT 'invoice' AS kind, i.id, i.number FROM ledger_invoice i
          LEFT JOIN (SELECT invoice_id, SUM(receivable_base_minor) AS relieved FROM ledger_allocation
                      GROUP BY invoice_id) r ON r.invoice_id = i.id
         WHERE i.amount_open_minor = 0 AND COALESCE(r.relieved, 0) <> i.gross_base_minor
        UNION ALL
        SELECT 'payment', p.id, p.number FROM ledger_payment p
          LEFT JOIN (SELECT payment_id, SUM(cash_base_minor) AS used FROM ledger_allocation
                      WHERE payment_id IS NOT NULL GROUP BY payment_id) u ON u.payment_id = p.id
         WHERE p.status = 'posted' AND p.amount_unallocated_minor = 0 AND COALESCE(u.used, 0) <> p.amount_base_minor
        """,
    ),
]


@dataclass
class CheckResult:
    code: str
    description: str
    rows: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rows


def ledger_check(*, limit: int = 20) -> list[CheckResult]:
    """Every check: the ledger's own (``CHECKS``) and those the apps built on it add through the
    ``ledger.checks`` hook (for example the allowance 1231 against the provision runs and write-offs)."""
    results = []
    extra = [check for checks in hooks.run(hooks.LEDGER_CHECKS) for check in checks]
    with connection.cursor() as cursor:
        for code, description, sql in [*CHECKS, *extra]:
            cursor.execute(f"SELECT * FROM ({sql}) offending LIMIT {int(limit)}")
            columns = [c[0] for c in cursor.description]
            results.append(CheckResult(code, description, [
                {column: _plain(value) for column, value in zip(columns, row, strict=True)} for row in cursor
            ]))
    return results


def _plain(value):
    """PostgreSQL sums bigints into numeric; every amount here is whole minor units, so show an int."""
    return int(value) if isinstance(value, Decimal) else value
