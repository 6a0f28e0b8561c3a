CREATE TRIGGER ledger_invoicedelivery_no_update BEFORE UPDATE ON ledger_invoicedelivery
BEGIN SELECT RAISE(ABORT, 'invoice deliveries are immutable evidence: record a new one instead'); END;
