-- An interruption of a limitation period is evidence: never updated, never deleted (TRUNCATE, as a test flush
-- does, is not a row operation and passes).
CREATE OR REPLACE FUNCTION limitation_interruption_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'limitation interruptions are immutable evidence: record a new one instead'
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER limitation_interruption_immutable BEFORE UPDATE OR DELETE ON limitation_limitationinterruption
    FOR EACH ROW EXECUTE FUNCTION limitation_interruption_immutable();
