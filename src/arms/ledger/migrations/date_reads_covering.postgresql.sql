-- The date indexes the KPIs read by range carry the amounts those reads sum (ledger/0019). The names are Django's
-- own for the fields' db_index (a hash of table and column), so that a later schema change finds them.
DROP INDEX IF EXISTS ledger_invoice_issue_date_38ee58ce;
CREATE INDEX ledger_invoice_issue_date_38ee58ce ON ledger_invoice (issue_date) INCLUDE (gross_base_minor);
DROP INDEX IF EXISTS ledger_payment_received_date_ca7ed9c9;
CREATE INDEX ledger_payment_received_date_ca7ed9c9 ON ledger_payment (received_date) INCLUDE (amount_base_minor);
DROP INDEX IF EXISTS ledger_allocation_date_b4a5974a;
CREATE INDEX ledger_allocation_date_b4a5974a ON ledger_allocation (date)
    INCLUDE (invoice_id, amount_minor, receivable_base_minor, payment_id, credit_note_id);
