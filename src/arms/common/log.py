"""Logging helpers for the settings' LOGGING."""

from __future__ import annotations

import logging


class ClientErrorsInOneLine(logging.Filter):
    """A refused request (4xx: a 403 for a role without the permission, a 404) is logged as one line.

    Django attaches the exception to the warning it logs for a 403 or 404, so every refused click printed a
    traceback, as if something had broken. A 5xx keeps its traceback: that one is a bug.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
