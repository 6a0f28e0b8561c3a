"""Models of collection cases."""
