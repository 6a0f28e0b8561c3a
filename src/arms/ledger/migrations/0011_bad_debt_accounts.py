"""The accounts of bad debts: 1231 坏账准备 (the allowance), 6702 信用减值损失 (its expense) and 6711 营业外支出 (where a
company may book small balances it writes off), and the journal entry kinds that post to them."""

from django.db import migrations, models

ACCOUNTS = [
    ("1231", "坏账准备", "Allowance for doubtful accounts"),
    ("6702", "信用减值损失", "Credit impairment losses"),
    ("6711", "营业外支出", "Non-operating expenses"),
]


def create_accounts(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for code, name, name_en in ACCOUNTS:
        Account.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})


def remove_accounts(apps, schema_editor):
    apps.get_model("ledger", "Account").objects.filter(code__in=[code for code, _, _ in ACCOUNTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0010_invoice_delivery_triggers")]
    operations = [
        migrations.RunPython(create_accounts, remove_accounts),
        migrations.AlterField(
            model_name="journalentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("invoice", "Invoice"), ("credit_note", "Credit note"), ("payment", "Payment"),
                    ("payment_reversal", "Payment reversal"), ("allocation", "Allocation"),
                    ("allocation_reversal", "Allocation reversal"), ("provision", "Bad-debt provision"),
                    ("write_off", "Write-off"), ("write_off_recovery", "Recovery of a written-off amount"),
                ],
                help_text="What posted it.", max_length=30, verbose_name="kind",
            ),
        ),
    ]
