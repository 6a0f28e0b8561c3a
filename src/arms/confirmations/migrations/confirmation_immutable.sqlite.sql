CREATE TRIGGER confirmations_confirmation_frozen BEFORE UPDATE ON confirmations_confirmation
WHEN OLD.status = 'confirmed' OR NEW.snapshot IS NOT OLD.snapshot OR NEW.sha256 IS NOT OLD.sha256
    OR NEW.opening_minor IS NOT OLD.opening_minor OR NEW.closing_minor IS NOT OLD.closing_minor
    OR NEW.currency IS NOT OLD.currency OR NEW.balances IS NOT OLD.balances
    OR NEW.customer_id IS NOT OLD.customer_id OR NEW.period_end IS NOT OLD.period_end
BEGIN SELECT RAISE(ABORT, 'a confirmation''s figures never change, and a confirmed confirmation not at all'); END;
