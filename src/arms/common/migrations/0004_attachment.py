# The evidence file store moves from arms.cases to arms.common (the ledger keeps signed receipt scans too and may
# not import cases). The table keeps its name, cases_attachment, and its triggers: only Django's state moves.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('common', '0003_job_queueheartbeat'),
        ('cases', '0005_activity_tamper'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Attachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sha256', models.CharField(help_text='Hash of the content.', max_length=64, unique=True, verbose_name='SHA-256')),
                        ('size', models.PositiveBigIntegerField(help_text='Bytes.', verbose_name='size')),
                        ('content_type', models.CharField(blank=True, help_text='MIME type guessed from the first file name.', max_length=100, verbose_name='content type')),
                        ('content', models.BinaryField(help_text="The file's bytes, kept in the database with the record.", verbose_name='content')),
                        ('created_at', models.DateTimeField(auto_now_add=True, help_text='When it was first stored.', verbose_name='created at')),
                    ],
                    options={
                        'verbose_name': 'attachment',
                        'verbose_name_plural': 'attachments',
                        'db_table': 'cases_attachment',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
