CREATE TRIGGER limitation_interruption_no_update BEFORE UPDATE ON limitation_limitationinterruption
BEGIN SELECT RAISE(ABORT, 'limitation interruptions are immutable evidence: record a new one instead'); END;
