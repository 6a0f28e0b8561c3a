"""Early-warning indicators, the warnings they raise, and risk signals from the field (issue 15)."""
