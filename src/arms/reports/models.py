"""Models of dashboard and management reports."""
