DROP TRIGGER IF EXISTS confirmations_confirmation_frozen;
