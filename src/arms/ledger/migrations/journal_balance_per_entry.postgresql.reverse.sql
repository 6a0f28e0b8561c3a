DROP TRIGGER ledger_journal_line_balanced ON ledger_journalline;
DROP TRIGGER ledger_journal_entry_balanced ON ledger_journalentry;
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
