"""arms demo_logins: the demo users, their roles and the password, for the person trying the demo."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from arms.seed.users import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Print the demo users (one per role) and their password."

    def handle(self, *args, **options):
        logins = demo_logins()
        present = [(username, role) for username, role, exists in logins if exists]
        if not present:
            self.stdout.write(_("No demo users yet; run `arms seed` first."))
            return
        self.stdout.write(_("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD})
        width = max(len(username) for username, _role in present)
        for username, role in present:
            self.stdout.write(f"  {username:<{width}}  {role}")
