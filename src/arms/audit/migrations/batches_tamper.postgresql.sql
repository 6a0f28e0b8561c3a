-- The sub-chains of bulk writes (ADR 0008) are append-only like the main trail: refuse TRUNCATE of them.
CREATE TRIGGER audit_auditbatch_no_truncate BEFORE TRUNCATE ON audit_auditbatch
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
CREATE TRIGGER audit_auditbatchevent_no_truncate BEFORE TRUNCATE ON audit_auditbatchevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
