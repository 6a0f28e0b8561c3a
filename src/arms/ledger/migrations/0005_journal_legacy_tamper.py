"""Mark the journal entries posted before seals existed (arms.ledger.seal) as legacy, in the audit chain.

If the journal is not empty, one ``journal_sealing_started`` event records how many entries there are and
the last one's id; ``arms audit verify`` then says how many legacy entries it could not recompute and finds
one added among them. An empty journal (a new installation) gets no event: every entry will be sealed.
"""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

from arms.audit.services import event_hash


def mark_legacy(apps, schema_editor):
    JournalEntry = apps.get_model("ledger", "JournalEntry")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    count = JournalEntry.objects.count()
    if not count:
        return
    last = JournalEntry.objects.aggregate(last=Max("id"))["last"]
    head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
    fields = {
        "seq": head.last_seq + 1, "occurred_at": timezone.now(), "actor_name": "system",
        "action": "journal_sealing_started", "subject_type": "ledger.journalentry", "subject_id": str(last),
        "subject_repr": f"JE{last}", "before": None,
        "after": {"legacy_entries": count, "last_legacy_entry": last}, "prev_hash": head.last_hash,
    }
    digest = event_hash(**fields)
    AuditEvent.objects.create(hash=digest, **fields)
    AuditHead.objects.filter(pk=1).update(last_seq=fields["seq"], last_hash=digest)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_journal_tamper"), ("audit", "0004_seals_tamper")]
    operations = [migrations.RunPython(mark_legacy, migrations.RunPython.noop)]
