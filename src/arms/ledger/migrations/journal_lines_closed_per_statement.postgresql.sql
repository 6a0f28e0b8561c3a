-- journal_tamper's rule, checked once per statement instead of once per line: an entry is posted with all its
-- lines by the (sub)transaction that creates it, so a line written by any other (sub)transaction to an existing
-- entry is refused, balanced or not. Every row one statement inserts carries the same xmin (the statement runs in
-- one (sub)transaction), so the check reads that xmin once, from one of the new lines, and compares it with the
-- xmin of each distinct entry the statement's lines name (a missing entry compares as different, as before).
-- The per-line trigger made two index look-ups for every line: the bulk path writes tens of thousands a COPY.
DROP TRIGGER ledger_journal_posted_entry_closed ON ledger_journalline;
CREATE OR REPLACE FUNCTION ledger_journal_posted_entries_closed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written text;
    posted bigint;
BEGIN
    SELECT line.xmin::text INTO written FROM ledger_journalline line
     WHERE line.id = (SELECT min(new_line.id) FROM new_lines new_line);
    SELECT named.entry_id INTO posted
      FROM (SELECT DISTINCT new_line.entry_id FROM new_lines new_line) named
      LEFT JOIN ledger_journalentry entry ON entry.id = named.entry_id
     WHERE entry.xmin::text IS DISTINCT FROM written
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % is posted: no line can be added to it; post a new entry', posted
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_journal_posted_entries_closed AFTER INSERT ON ledger_journalline
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION ledger_journal_posted_entries_closed();
