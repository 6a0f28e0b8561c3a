-- TRUNCATE is not a row operation, so the row triggers of activity_immutable never see it: refuse it here.
-- (SQLite has no TRUNCATE; its DELETE is refused by the model and queryset, see 0002.)
CREATE OR REPLACE FUNCTION cases_evidence_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'activities are immutable evidence: TRUNCATE of % is refused', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER cases_activity_no_truncate BEFORE TRUNCATE ON cases_activity
    FOR EACH STATEMENT EXECUTE FUNCTION cases_evidence_refuse_truncate();
CREATE TRIGGER cases_attachment_no_truncate BEFORE TRUNCATE ON cases_attachment
    FOR EACH STATEMENT EXECUTE FUNCTION cases_evidence_refuse_truncate();
