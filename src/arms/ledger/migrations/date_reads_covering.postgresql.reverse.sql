DROP INDEX IF EXISTS ledger_invoice_issue_date_38ee58ce;
CREATE INDEX ledger_invoice_issue_date_38ee58ce ON ledger_invoice (issue_date);
DROP INDEX IF EXISTS ledger_payment_received_date_ca7ed9c9;
CREATE INDEX ledger_payment_received_date_ca7ed9c9 ON ledger_payment (received_date);
DROP INDEX IF EXISTS ledger_allocation_date_b4a5974a;
CREATE INDEX ledger_allocation_date_b4a5974a ON ledger_allocation (date);
