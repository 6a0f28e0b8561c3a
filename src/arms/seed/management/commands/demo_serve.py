"""arms demo_serve: serve the demo as production does, gunicorn and a Huey consumer side by side.

Two child processes, each in its own process group so that only this command decides when they stop:

- ``gunicorn arms.wsgi:application`` on ``--bind`` (DEBUG off; WhiteNoise serves the static files that
  `arms setup` collected);
- ``arms run_huey``, the consumer that carries out what the pages put on the queue (dunning runs, e-mails,
  exports) and the scheduled work.

Ctrl-C (SIGINT) or SIGTERM stops both: gunicorn with SIGTERM, the consumer with SIGINT (its graceful signal,
so a task in progress finishes), then SIGKILL for whatever is still running after ``--grace`` seconds. If either
child ends by itself (the port is taken, the database is gone), the other is stopped too and the command
exits with an error, so a half-working demo never goes unnoticed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Stop(Exception):
    """Raised by the signal handler: stop the children and return."""


class Command(BaseCommand):
    help = "Serve the demo as production does: gunicorn and a Huey consumer together; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT for gunicorn (default %(default)s).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2).")
        parser.add_argument("--grace", type=float, default=10.0,
                            help="Seconds the children get to stop before they are killed (default 10).")

    def handle(self, *args, bind: str, workers: int, grace: float, **options):
        if settings.DEBUG:
            raise CommandError(_("demo_serve serves as production does: run it with DEBUG off "
                                 "(DJANGO_SETTINGS_MODULE=arms.settings.demo)."))
        commands = {
            "gunicorn": [sys.executable, "-m", "gunicorn", "arms.wsgi:application", "--bind", bind,
                         "--workers", str(workers), "--timeout", "120", "--access-logfile", "-", "--no-control-socket"],
            "huey": [sys.executable, "-m", "arms.cli", "run_huey", "--workers", "2"],
        }
        stop_signals = {"gunicorn": signal.SIGTERM, "huey": signal.SIGINT}
        children: dict[str, subprocess.Popen] = {}

        def on_signal(signum, frame):
            raise Stop

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        failed = ""
        try:
            for name, command in commands.items():
                children[name] = subprocess.Popen(command, env=os.environ.copy(), start_new_session=True)
            self.stdout.write(_("Serving http://%(bind)s/ with gunicorn (pid %(web)s) and the task queue consumer "
                                "(pid %(worker)s). Ctrl-C stops both.")
                              % {"bind": bind, "web": children["gunicorn"].pid, "worker": children["huey"].pid})
            while not failed:
                for name, child in children.items():
                    if child.poll() is not None:
                        failed = name
                        break
                else:
                    time.sleep(0.5)
        except Stop:
            pass
        finally:
            for name, child in children.items():
                if child.poll() is None:
                    child.send_signal(stop_signals[name])
            deadline = time.monotonic() + grace
            for child in children.values():
                try:
                    child.wait(timeout=max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if failed:
            raise CommandError(_("%(name)s stopped (exit code %(code)s); the other process was stopped too.")
                               % {"name": failed, "code": children[failed].returncode})
        self.stdout.write(_("Stopped."))
