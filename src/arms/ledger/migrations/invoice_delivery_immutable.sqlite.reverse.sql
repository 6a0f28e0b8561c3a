DROP TRIGGER IF EXISTS ledger_invoicedelivery_no_update;
