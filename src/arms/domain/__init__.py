"""The domain core: plain Python on frozen dataclasses and ints.

Nothing here imports Django (an import-linter contract keeps it so), which is why the hard rules
(money, payment terms, allocation, postings) are tested in milliseconds and with hypothesis.
"""
