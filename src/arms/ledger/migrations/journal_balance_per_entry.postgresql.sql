-- Every entry balances, checked once per entry when the deferred checks run (at commit), over all its lines.
-- A line can only be added by the (sub)transaction that wrote its entry (journal_tamper), so when the entry's
-- check runs at commit every line is in. Checks can also run earlier (SET CONSTRAINTS ... IMMEDIATE): each one
-- marks the transaction (arms.journal_balance_checked), and a line written after that mark gets a deferred check
-- of its own, so the last check of every entry still runs after its last line.
DROP TRIGGER ledger_journal_entry_balanced ON ledger_journalline;
CREATE OR REPLACE FUNCTION ledger_journal_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    checked bigint;
    difference bigint;
BEGIN
    IF TG_TABLE_NAME = 'ledger_journalentry' THEN
        checked := NEW.id;
    ELSE
        checked := NEW.entry_id;
    END IF;
    SELECT COALESCE(SUM(debit_minor), 0) - COALESCE(SUM(credit_minor), 0) INTO difference
      FROM ledger_journalline WHERE entry_id = checked;
    IF difference <> 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance: debits - credits = %', checked, difference
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF current_setting('arms.journal_balance_checked', true) IS DISTINCT FROM 'on' THEN
        PERFORM set_config('arms.journal_balance_checked', 'on', true);
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_journal_entry_balanced AFTER INSERT ON ledger_journalentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_journal_entry_balanced();
CREATE CONSTRAINT TRIGGER ledger_journal_line_balanced AFTER INSERT ON ledger_journalline
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (current_setting('arms.journal_balance_checked', true) IS NOT DISTINCT FROM 'on')
    EXECUTE FUNCTION ledger_journal_entry_balanced();
