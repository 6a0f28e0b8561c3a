DROP TRIGGER IF EXISTS audit_auditbatch_no_truncate ON audit_auditbatch;
DROP TRIGGER IF EXISTS audit_auditbatchevent_no_truncate ON audit_auditbatchevent;
