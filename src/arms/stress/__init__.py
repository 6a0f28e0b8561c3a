"""Stress scenarios and the cost of overdue receivables (issue 15)."""
