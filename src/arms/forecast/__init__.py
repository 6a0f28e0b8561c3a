"""The 13-week and 12-month cash-in forecast and its measured error (issue 15)."""
