-- TRUNCATE empties a table without deleting rows one by one, so the row triggers of journal_integrity never
-- see it: refuse it by a statement trigger of its own.
CREATE OR REPLACE FUNCTION ledger_journal_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'journal rows are immutable: TRUNCATE of % is refused', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER ledger_journalline_no_truncate BEFORE TRUNCATE ON ledger_journalline
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_journal_refuse_truncate();
CREATE TRIGGER ledger_journalentry_no_truncate BEFORE TRUNCATE ON ledger_journalentry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_journal_refuse_truncate();

-- An entry is posted with all its lines by the (sub)transaction that creates it (journal_write); a line
-- written by any other transaction to an existing entry is refused, balanced or not. xmin is the id of the
-- (sub)transaction that wrote a row, and journal rows are never updated, so it never changes.
CREATE OR REPLACE FUNCTION ledger_journal_posted_entry_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT xmin::text FROM ledger_journalentry WHERE id = NEW.entry_id)
       IS DISTINCT FROM (SELECT xmin::text FROM ledger_journalline WHERE id = NEW.id) THEN
        RAISE EXCEPTION 'journal entry % is posted: no line can be added to it; post a new entry', NEW.entry_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_journal_posted_entry_closed AFTER INSERT ON ledger_journalline
    FOR EACH ROW EXECUTE FUNCTION ledger_journal_posted_entry_closed();
