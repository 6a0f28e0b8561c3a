"""The ``arms`` command: Django's management commands with ARMS settings preselected.

    arms migrate | runserver | seed | bench | import | ledger check | audit verify | token create ...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run the command; settings default to ``arms.settings.local`` (DEBUG off unless ``ARMS_DEBUG=1``).

    A database that does not answer is one line on stderr and exit status 2, not a traceback (which names
    ARMS's internals and buries the one line that matters); ``ARMS_DEBUG=1`` shows the traceback.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arms.settings.local")
    from django.core.management import execute_from_command_line
    from django.db.utils import InterfaceError, OperationalError

    try:
        execute_from_command_line(["arms", *(sys.argv[1:] if argv is None else argv)])
    except (OperationalError, InterfaceError) as error:
        if os.environ.get("ARMS_DEBUG") == "1":
            raise
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        sys.stderr.write(f"arms: the database does not answer: {first_line}\n"
                         "Check DATABASE_URL and that the database server is running (ARMS_DEBUG=1 shows the "
                         "traceback).\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
