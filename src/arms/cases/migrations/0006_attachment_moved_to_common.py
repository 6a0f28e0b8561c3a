# The Attachment model now lives in arms.common (same table, cases_attachment): only Django's state changes here;
# cases.Attachment stays as a proxy of it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_activity_tamper'),
        ('common', '0004_attachment'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='activity',
                    name='attachment',
                    field=models.ForeignKey(blank=True, help_text='A file kept with the record.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='common.attachment'),
                ),
                migrations.DeleteModel(name='Attachment'),
                # the old name stays as a proxy, so "cases.Attachment" references keep resolving
                migrations.CreateModel(
                    name='Attachment',
                    fields=[],
                    options={'verbose_name': 'attachment', 'verbose_name_plural': 'attachments', 'proxy': True,
                             'indexes': [], 'constraints': []},
                    bases=('common.attachment',),
                ),
            ],
            database_operations=[],
        ),
    ]
