DROP TRIGGER IF EXISTS ledger_journal_posted_entry_closed ON ledger_journalline;
DROP TRIGGER IF EXISTS ledger_journalline_no_truncate ON ledger_journalline;
DROP TRIGGER IF EXISTS ledger_journalentry_no_truncate ON ledger_journalentry;
DROP FUNCTION IF EXISTS ledger_journal_posted_entry_closed();
DROP FUNCTION IF EXISTS ledger_journal_refuse_truncate();
