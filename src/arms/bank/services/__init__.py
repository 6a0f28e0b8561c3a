"""Services of the bank app: every write on statements, lines, matches and learned payers goes through here."""
