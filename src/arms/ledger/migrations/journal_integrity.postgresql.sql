-- Journal rows are immutable: a correction is a reversal, never an edit.
CREATE OR REPLACE FUNCTION ledger_journal_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'journal rows are immutable: post a reversal instead (table %)', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER ledger_journalline_immutable BEFORE UPDATE OR DELETE ON ledger_journalline
    FOR EACH ROW EXECUTE FUNCTION ledger_journal_immutable();
CREATE TRIGGER ledger_journalentry_immutable BEFORE UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_journal_immutable();

-- Every entry balances, checked at commit so the lines of one entry can be inserted one by one.
CREATE OR REPLACE FUNCTION ledger_journal_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    difference bigint;
BEGIN
    SELECT COALESCE(SUM(debit_minor), 0) - COALESCE(SUM(credit_minor), 0) INTO difference
      FROM ledger_journalline WHERE entry_id = NEW.entry_id;
    IF difference <> 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance: debits - credits = %', NEW.entry_id, difference
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_journal_entry_balanced AFTER INSERT ON ledger_journalline
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_journal_entry_balanced();
