"""arms token create --user NAME [--name WHAT]: print a new API token once; arms token revoke PREFIX."""

from django.core.management.base import BaseCommand, CommandError

from arms.accounts.models import ApiToken
from arms.accounts.services import token_create, token_revoke
from arms.common.errors import ArmsError


class Command(BaseCommand):
    help = "API tokens for integrations (Authorization: Bearer ...)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "revoke", "list"])
        parser.add_argument("prefix", nargs="?", help="With revoke: the token's prefix (arms_xxxxxxx).")
        parser.add_argument("--user", help="With create: the user the token acts as.")
        parser.add_argument("--name", default="cli", help="What the token is for.")

    def handle(self, *args, action, prefix=None, user=None, name="cli", **options):
        if action == "create":
            if not user:
                raise CommandError("--user is required")
            try:
                _token, secret = token_create(username=user, name=name)
            except ArmsError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(secret)
            self.stderr.write("Keep it safe: it is shown only this once.")
        elif action == "revoke":
            token = ApiToken.objects.filter(prefix=prefix or "", revoked_at__isnull=True).first()
            if token is None:
                raise CommandError(f"no active token with prefix {prefix}")
            token_revoke(token=token)
            self.stdout.write(f"revoked {token.prefix}")
        else:
            for token in ApiToken.objects.select_related("user").order_by("created_at"):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"{token.prefix}  {token.user.username:<20} {token.name:<20} {state}")
