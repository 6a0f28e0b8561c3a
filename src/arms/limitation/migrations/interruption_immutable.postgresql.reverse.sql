DROP TRIGGER IF EXISTS limitation_interruption_immutable ON limitation_limitationinterruption;
DROP FUNCTION IF EXISTS limitation_interruption_immutable();
