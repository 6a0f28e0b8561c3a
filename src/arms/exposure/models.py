"""Models of credit exposure and holds."""
