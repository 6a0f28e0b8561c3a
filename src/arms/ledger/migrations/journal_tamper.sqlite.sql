-- SQLite has no TRUNCATE: "DELETE FROM t" is its form, and the DELETE triggers of journal_integrity refuse
-- it (SQLite skips its truncate shortcut on a table with triggers).
-- An entry's lines are inserted one after another, and it balances only once the last is in (no posting's
-- lines balance part-way: zero lines are dropped). A line for an entry whose lines already balance, that is
-- a posted entry, is refused.
CREATE TRIGGER ledger_journalline_posted_entry_closed BEFORE INSERT ON ledger_journalline
WHEN (SELECT COUNT(*) > 0 AND SUM(debit_minor) = SUM(credit_minor) FROM ledger_journalline
       WHERE entry_id = NEW.entry_id)
BEGIN SELECT RAISE(ABORT, 'journal entry is posted: no line can be added to it; post a new entry'); END;
