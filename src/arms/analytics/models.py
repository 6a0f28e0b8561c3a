"""Models of analytics and reports."""
