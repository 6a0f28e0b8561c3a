DROP TRIGGER IF EXISTS ledger_journalline_no_update;
DROP TRIGGER IF EXISTS ledger_journalline_no_delete;
DROP TRIGGER IF EXISTS ledger_journalentry_no_update;
DROP TRIGGER IF EXISTS ledger_journalentry_no_delete;
