"""Models of dunning."""
