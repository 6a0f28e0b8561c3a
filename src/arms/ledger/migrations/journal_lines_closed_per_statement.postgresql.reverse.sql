DROP TRIGGER IF EXISTS ledger_journal_posted_entries_closed ON ledger_journalline;
DROP FUNCTION IF EXISTS ledger_journal_posted_entries_closed();
CREATE TRIGGER ledger_journal_posted_entry_closed AFTER INSERT ON ledger_journalline
    FOR EACH ROW EXECUTE FUNCTION ledger_journal_posted_entry_closed();
