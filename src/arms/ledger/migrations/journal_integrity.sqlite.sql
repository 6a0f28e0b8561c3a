CREATE TRIGGER ledger_journalline_no_update BEFORE UPDATE ON ledger_journalline
BEGIN SELECT RAISE(ABORT, 'journal lines are immutable: post a reversal instead'); END;
CREATE TRIGGER ledger_journalline_no_delete BEFORE DELETE ON ledger_journalline
BEGIN SELECT RAISE(ABORT, 'journal lines are immutable: post a reversal instead'); END;
CREATE TRIGGER ledger_journalentry_no_update BEFORE UPDATE ON ledger_journalentry
BEGIN SELECT RAISE(ABORT, 'journal entries are immutable: post a reversal instead'); END;
CREATE TRIGGER ledger_journalentry_no_delete BEFORE DELETE ON ledger_journalentry
BEGIN SELECT RAISE(ABORT, 'journal entries are immutable: post a reversal instead'); END;
