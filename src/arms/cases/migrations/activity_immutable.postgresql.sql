-- Activities and their attachments are evidence: never updated, never deleted (TRUNCATE, as a test flush
-- does, is not a row operation and passes).
CREATE OR REPLACE FUNCTION cases_evidence_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'activities are immutable evidence: record a new one instead (table %)', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER cases_activity_immutable BEFORE UPDATE OR DELETE ON cases_activity
    FOR EACH ROW EXECUTE FUNCTION cases_evidence_immutable();
CREATE TRIGGER cases_attachment_immutable BEFORE UPDATE OR DELETE ON cases_attachment
    FOR EACH ROW EXECUTE FUNCTION cases_evidence_immutable();
