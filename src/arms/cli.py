"""The ``arms`` command: Django's management commands with ARMS settings preselected.

    arms migrate | runserver | seed | bench | import | ledger check | audit verify | token create ...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arms.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["arms", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
