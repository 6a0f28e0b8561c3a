DROP INDEX IF EXISTS invoice_open_by_customer;
CREATE INDEX invoice_open_by_customer ON ledger_invoice (customer_id, due_date) WHERE amount_open_minor > 0;
