-- SQLite has no TRUNCATE: "DELETE FROM t" is its form, and the DELETE triggers of journal_integrity refuse
-- it (SQLite skips its truncate shortcut on a table with triggers).
-- An entry is posted with all its lines at once, right after the entry row; SQLite writes one transaction at a
-- time, so while journal_write runs its entry is the newest. A line for an older entry that already has lines
-- is refused.
CREATE TRIGGER ledger_journalline_posted_entry_closed BEFORE INSERT ON ledger_journalline
WHEN EXISTS (SELECT 1 FROM ledger_journalline WHERE entry_id = NEW.entry_id)
 AND NEW.entry_id <> (SELECT MAX(id) FROM ledger_journalentry)
BEGIN SELECT RAISE(ABORT, 'journal entry is posted: no line can be added to it; post a new entry'); END;
