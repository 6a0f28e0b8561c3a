DROP TRIGGER IF EXISTS ledger_invoicedelivery_immutable ON ledger_invoicedelivery;
DROP FUNCTION IF EXISTS ledger_invoice_delivery_immutable();
