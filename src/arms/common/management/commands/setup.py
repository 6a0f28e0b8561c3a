"""arms setup: migrate, create the roles and the default company, collect the static files. Safe to run again."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from arms.accounts.roles import roles_sync
from arms.common.pdf import cjk_font_installed
from arms.customers.services import company_ensure


class Command(BaseCommand):
    help = "Migrate the database, create the roles (groups) and the default company, collect the static files."

    def add_arguments(self, parser):
        parser.add_argument("--company-name", default="", help="Name of the default company.")
        parser.add_argument("--no-static", action="store_true",
                            help="Do not collect the static files (a worker that serves no pages).")

    def handle(self, *args, company_name="", no_static=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not no_static:  # into STATIC_ROOT, where WhiteNoise serves them from (hashed names in production)
            call_command("collectstatic", interactive=False, verbosity=0)
        roles_sync()
        company = company_ensure()
        if company_name and company.name != company_name:
            company.name = company_name
            company.save(update_fields=["name"])
        self.stdout.write(self.style.SUCCESS(f"database ready; roles synced; company {company.code}"))
        if not cjk_font_installed():
            self.stdout.write(self.style.WARNING(
                "no Chinese font found: PDF letters and reports will show empty boxes. "
                "Install one: apt-get install fonts-noto-cjk (scripts/system-deps does it as root)."
            ))
