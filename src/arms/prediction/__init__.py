"""Payment-date prediction: model versions, backtests and the predicted dates of open items (issue 15)."""
