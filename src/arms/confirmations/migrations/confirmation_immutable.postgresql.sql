-- A confirmation's figures (snapshot, hash, balances) never change once prepared, and a confirmed confirmation
-- (the customer's acknowledgement of the debt) is neither updated nor deleted. TRUNCATE (a test flush) passes.
CREATE OR REPLACE FUNCTION confirmations_confirmation_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'confirmed' THEN
            RAISE EXCEPTION 'a confirmed confirmation is evidence and cannot be deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'confirmed'
        OR NEW.snapshot IS DISTINCT FROM OLD.snapshot OR NEW.sha256 IS DISTINCT FROM OLD.sha256
        OR NEW.opening_minor IS DISTINCT FROM OLD.opening_minor
        OR NEW.closing_minor IS DISTINCT FROM OLD.closing_minor
        OR NEW.currency IS DISTINCT FROM OLD.currency OR NEW.balances::text IS DISTINCT FROM OLD.balances::text
        OR NEW.customer_id IS DISTINCT FROM OLD.customer_id OR NEW.period_end IS DISTINCT FROM OLD.period_end THEN
        RAISE EXCEPTION 'a confirmation''s figures never change, and a confirmed confirmation not at all'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER confirmations_confirmation_frozen BEFORE UPDATE OR DELETE ON confirmations_confirmation
    FOR EACH ROW EXECUTE FUNCTION confirmations_confirmation_frozen();
