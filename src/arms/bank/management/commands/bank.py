"""arms bank: import bank statement files and list the company's bank accounts.

    arms bank import FILE [FILE ...] [--account NO] [--profile KEY] [--no-match]
                                     import statement files (CAMT.053, MT940, Chinese bank CSV/XLS/XLSX);
                                     prints per statement what was imported, seen before, and the gap
    arms bank accounts               the company's bank accounts
    arms bank profiles               the built-in layouts of Chinese bank exports (--profile KEY)
    arms bank account-add --name N --bank B --number NO [--currency CNY] [--ledger 100201] [--branch BR]
    arms bank bench [--lines 1000,20000]   time importing generated statements (a scratch database: it writes)

A file that is refused (cannot be read, a bad line, another account) prints the file, line and column and ends
with exit status 1; nothing of it is imported. Files are imported one after another, each on its own.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from arms.bank.bench import statement_import_bench
from arms.bank.models import BankAccount
from arms.bank.parsers import BUILT_IN, GENERIC
from arms.bank.services.accounts import bank_account_create
from arms.bank.services.importing import ImportResult, account_matches, statement_import
from arms.common.errors import ArmsError
from arms.common.uploads import upload_max_bytes
from arms.domain.money import format_money


def _money(minor: int | None, currency: str) -> str:
    return "—" if minor is None else format_money(minor, currency)


class Command(BaseCommand):
    help = "Bank statements: import files, list bank accounts and the built-in export layouts."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "accounts", "profiles", "account-add", "bench"])
        parser.add_argument("files", nargs="*", help="Statement files (import).")
        parser.add_argument("--account", default=None, help="The account number the files are for (else read "
                                                            "from the file).")
        parser.add_argument("--profile", default=None, help="The layout of a CSV/Excel export: a built-in key "
                                                            "(arms bank profiles), or 'own' for the account's.")
        parser.add_argument("--no-match", action="store_true", help="Import only; leave cash application to "
                                                                    "`arms cash apply`.")
        parser.add_argument("--name", default="", help="Name of the account (account-add).")
        parser.add_argument("--bank", default="", help="The bank (account-add).")
        parser.add_argument("--branch", default="", help="The branch, 开户行 (account-add).")
        parser.add_argument("--number", default="", help="Account number or IBAN (account-add).")
        parser.add_argument("--currency", default="CNY", help="Currency of the account (account-add).")
        parser.add_argument("--ledger", default="1002", help="The 1002 sub-account it is booked to (account-add).")
        parser.add_argument("--lines", default="1000,20000", help="Sizes of the generated statements (bench; "
                                                                  "writes rows: use a scratch database).")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"do_{action.replace('-', '_')}")(**options)
        except ArmsError as exc:
            details = getattr(exc, "details", {}) or {}
            where = ", ".join(f"{k}={details[k]}" for k in ("file", "line", "column") if details.get(k))
            raise CommandError(f"{exc.code}: {exc.message}" + (f" [{where}]" if where else "")
                               + (f" ({exc.field})" if exc.field and not where else "")) from exc

    def _account(self, number: str | None) -> BankAccount | None:
        if not number:
            return None

        found = [a for a in BankAccount.objects.all() if account_matches(number, a.account_number)]
        if len(found) != 1:
            raise CommandError(f"no bank account with the number {number} (arms bank accounts lists them)"
                               if not found else f"the number {number} fits several bank accounts")
        return found[0]

    def do_import(self, *, files: list[str], account: str | None, profile: str | None, no_match: bool, **_o):
        if not files:
            raise CommandError("name the statement file(s) to import")
        chosen = self._account(account)
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file")
            if path.stat().st_size > upload_max_bytes():
                raise CommandError(f"{name}: larger than the upload limit of {upload_max_bytes()} bytes")
            result = statement_import(actor=None, data=path.read_bytes(), filename=path.name, account=chosen,
                                      profile=profile, match=not no_match)
            self._report(result)

    def _report(self, result: ImportResult) -> None:
        accounts = {a.pk: a for a in BankAccount.objects.filter(pk__in={s.account_id for s in result.statements})}
        if not result.statements:
            self.stdout.write(f"{result.filename}: no statement lines in the file, nothing imported")
        for s in result.statements:
            account = accounts[s.account_id]
            period = f"{s.first_date} – {s.last_date}" if s.first_date else "—"
            where = f"statement {s.statement_id}" if s.statement_id else "nothing new"
            self.stdout.write(f"{result.filename}: {account.name} {account.account_number} {period}: "
                              f"{s.lines_new} imported, {s.lines_seen} seen before ({where})")
            if s.gap is not None:
                self.stdout.write(self.style.WARNING(
                    f"  gap: the opening balance {_money(s.opening_balance, account.currency)} does not continue "
                    f"the previous closing balance (difference {_money(s.gap, account.currency)})"))
            for problem in s.problems:
                self.stdout.write(self.style.WARNING(f"  does not add up: {problem}"))
        matched = result.matched
        if matched is not None:
            self.stdout.write(f"  matched {matched.lines} lines: {matched.auto_applied} applied, "
                              f"{matched.suggested} suggested, {matched.unmatched} unmatched, "
                              f"{matched.ignored} set aside")

    def do_accounts(self, **_o):
        rows = BankAccount.objects.order_by("name", "pk")
        if not rows:
            self.stdout.write("no bank accounts yet (arms bank account-add)")
        for a in rows:
            state = "" if a.active else " (closed)"
            self.stdout.write(f"{a.pk}\t{a.account_number}\t{a.currency}\t{a.ledger_account}\t{a.bank}\t"
                              f"{a.name}{state}")

    def do_profiles(self, **_o):
        for p in (*BUILT_IN, GENERIC):
            self.stdout.write(f"{p.key}\t{p.name}")

    def do_account_add(self, *, name: str, bank: str, branch: str, number: str, currency: str, ledger: str, **_o):
        account = bank_account_create(actor=None, name=name, bank=bank, branch=branch, account_number=number,
                                      currency=currency, ledger_account=ledger)
        self.stdout.write(f"{account.pk}\t{account.account_number}\t{account.currency}\t{account.name}")

    def do_bench(self, *, lines: str, **_o):
        try:
            sizes = [int(n) for n in lines.split(",") if n.strip()]
        except ValueError:
            raise CommandError("--lines: sizes as numbers, e.g. 1000,20000") from None
        if not sizes or any(not 1 <= n <= 200_000 for n in sizes):
            raise CommandError("--lines: each size between 1 and 200000")
        self.stdout.write(json.dumps(statement_import_bench(sizes=sizes), ensure_ascii=False))
