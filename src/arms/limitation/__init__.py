"""The limitation clock (诉讼时效) of each claim: its start, interruptions with their evidence, alerts and expiry."""
