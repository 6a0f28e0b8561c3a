"""arms setup: migrate, create the roles and the default company. Safe to run again."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from arms.accounts.roles import roles_sync
from arms.common.pdf import cjk_font_installed
from arms.customers.selectors import company_default


class Command(BaseCommand):
    help = "Migrate the database, create the roles (groups) and the default company."

    def add_arguments(self, parser):
        parser.add_argument("--company-name", default="", help="Name of the default company.")

    def handle(self, *args, company_name="", **options):
        call_command("migrate", interactive=False, verbosity=0)
        roles_sync()
        company = company_default()
        if company_name and company.name != company_name:
            company.name = company_name
            company.save(update_fields=["name"])
        self.stdout.write(self.style.SUCCESS(f"database ready; roles synced; company {company.code}"))
        if not cjk_font_installed():
            self.stdout.write(self.style.WARNING(
                "no Chinese font found: PDF letters and reports will show empty boxes. "
                "Install one: apt-get install fonts-noto-cjk (scripts/system-deps does it as root)."
            ))
