DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_audithead_no_truncate ON audit_audithead;
DROP FUNCTION IF EXISTS audit_refuse_truncate();
