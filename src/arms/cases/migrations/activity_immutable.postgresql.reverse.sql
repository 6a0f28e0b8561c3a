DROP TRIGGER IF EXISTS cases_activity_immutable ON cases_activity;
DROP TRIGGER IF EXISTS cases_attachment_immutable ON cases_attachment;
DROP FUNCTION IF EXISTS cases_evidence_immutable();
