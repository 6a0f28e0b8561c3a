-- Invoice delivery and receipt records are evidence: never updated, never deleted (TRUNCATE, as a test flush
-- does, is not a row operation and passes).
CREATE OR REPLACE FUNCTION ledger_invoice_delivery_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'invoice deliveries are immutable evidence: record a new one instead'
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER ledger_invoicedelivery_immutable BEFORE UPDATE OR DELETE ON ledger_invoicedelivery
    FOR EACH ROW EXECUTE FUNCTION ledger_invoice_delivery_immutable();
