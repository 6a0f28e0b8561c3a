"""Models of credit management."""
