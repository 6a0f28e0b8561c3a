DROP TRIGGER IF EXISTS cases_activity_no_truncate ON cases_activity;
DROP TRIGGER IF EXISTS cases_attachment_no_truncate ON cases_attachment;
DROP FUNCTION IF EXISTS cases_evidence_refuse_truncate();
