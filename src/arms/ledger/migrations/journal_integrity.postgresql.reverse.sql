DROP TRIGGER IF EXISTS ledger_journal_entry_balanced ON ledger_journalline;
DROP TRIGGER IF EXISTS ledger_journalline_immutable ON ledger_journalline;
DROP TRIGGER IF EXISTS ledger_journalentry_immutable ON ledger_journalentry;
DROP FUNCTION IF EXISTS ledger_journal_entry_balanced();
DROP FUNCTION IF EXISTS ledger_journal_immutable();
