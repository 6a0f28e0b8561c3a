-- The partial index of open items carries what the book-wide reads of open items use (ledger/0017), so that
-- PostgreSQL answers them from the index alone where the table's pages are all-visible (after a vacuum).
DROP INDEX IF EXISTS invoice_open_by_customer;
CREATE INDEX invoice_open_by_customer ON ledger_invoice (customer_id, due_date)
    INCLUDE (id, issue_date, currency, amount_open_minor, gross_base_minor)
    WHERE amount_open_minor > 0;
