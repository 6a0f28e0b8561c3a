CREATE TRIGGER cases_activity_no_update BEFORE UPDATE ON cases_activity
BEGIN SELECT RAISE(ABORT, 'activities are immutable evidence: record a new one instead'); END;
CREATE TRIGGER cases_attachment_no_update BEFORE UPDATE ON cases_attachment
BEGIN SELECT RAISE(ABORT, 'attachments are immutable evidence'); END;
