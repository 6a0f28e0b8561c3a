DROP TRIGGER IF EXISTS confirmations_confirmation_frozen ON confirmations_confirmation;
DROP FUNCTION IF EXISTS confirmations_confirmation_frozen();
