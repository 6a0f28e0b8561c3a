DROP TRIGGER IF EXISTS limitation_interruption_no_update;
