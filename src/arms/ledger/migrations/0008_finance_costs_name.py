"""6603 is 财务费用 as a whole: it holds FX differences and, since cash application, the bank charges payers deduct,
so its name no longer says 汇兑损益 only."""

from django.db import migrations

NEW = ("财务费用", "Finance costs (FX differences, bank charges)")
OLD = ("财务费用-汇兑损益", "FX difference")


def _rename(names):
    def run(apps, schema_editor):
        apps.get_model("ledger", "Account").objects.filter(code="6603").update(name=names[0], name_en=names[1])
    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_manual_cash_approvals")]
    operations = [migrations.RunPython(_rename(NEW), _rename(OLD))]
