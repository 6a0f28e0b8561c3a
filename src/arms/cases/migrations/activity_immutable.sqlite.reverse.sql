DROP TRIGGER IF EXISTS cases_activity_no_update;
DROP TRIGGER IF EXISTS cases_attachment_no_update;
