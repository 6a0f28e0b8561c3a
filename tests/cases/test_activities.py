"""The activity log: append-only evidence with attachments kept by SHA-256."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from arms.audit.models import AuditEvent
from arms.cases.errors import ActivityImmutable
from arms.cases.models import Activity, Attachment
from arms.cases.services import activity_record
from arms.common.errors import ValidationFailed
from tests import factories


def test_a_call_is_recorded_with_its_invoices_and_audited(book):
    activity = activity_record(customer=book.customer, kind="call", outcome="reached", note="财务说下周付",
                               actor=book.collector, invoices=[book.inv1, book.inv2.pk])

    assert activity.kind == "call" and activity.direction == "out" and activity.outcome == "reached"
    assert sorted(activity.invoices.values_list("number", flat=True)) == ["INV-1", "INV-2"]
    event = AuditEvent.objects.get(action="activity_recorded")
    assert event.after["invoices"] == sorted([book.inv1.pk, book.inv2.pk])
    assert event.actor == book.collector


def test_an_attachment_is_stored_once_by_its_sha256(book):
    content = b"%PDF-1.4 letter"
    first = activity_record(customer=book.customer, kind="letter", actor=book.clerk, attachment_name="催款函.pdf",
                            attachment_bytes=content)
    second = activity_record(customer=book.customer, kind="letter", actor=book.clerk, attachment_name="copy.pdf",
                             attachment_bytes=content)

    assert first.attachment_sha256 == hashlib.sha256(content).hexdigest()
    assert first.attachment_id == second.attachment_id
    assert Attachment.objects.count() == 1
    assert bytes(Attachment.objects.get().content) == content
    assert first.attachment.content_type == "application/pdf"


def test_the_same_source_ref_records_once(book):
    a = activity_record(customer=book.customer, kind="email", outcome="sent", source="dunning", source_ref="run:1:c1")
    b = activity_record(customer=book.customer, kind="email", outcome="sent", source="dunning", source_ref="run:1:c1")

    assert a.pk == b.pk
    assert Activity.objects.count() == 1
    assert AuditEvent.objects.filter(action="activity_recorded").count() == 1


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"kind": "fax"}, "kind"),
    ({"kind": "call", "outcome": "Not A Code"}, "outcome"),
    ({"kind": "call", "direction": "sideways"}, "direction"),
    ({"kind": "call", "occurred_at": timezone.now() + timedelta(days=2)}, "occurred_at"),
    ({"kind": "letter", "attachment_bytes": b"x"}, "attachment_name"),
    ({"kind": "letter", "attachment_name": "a.pdf", "attachment_bytes": b""}, "attachment"),
    ({"kind": "letter", "attachment_name": "a.pdf"}, "attachment"),
])
def test_bad_input_names_the_field_and_writes_nothing(book, kwargs, field):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        activity_record(customer=book.customer, actor=book.clerk, **kwargs)

    assert caught.value.field == field
    assert Activity.objects.count() == 0 and Attachment.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_another_customers_invoice_is_refused(book):
    other = factories.customer("C2")
    foreign = factories.invoice(other, number="INV-X")
    with pytest.raises(ValidationFailed) as caught:
        activity_record(customer=book.customer, kind="call", invoices=[foreign])
    assert caught.value.field == "invoices"
    assert Activity.objects.count() == 0


def test_an_activity_cannot_be_changed_or_deleted_through_the_model(book):
    activity = activity_record(customer=book.customer, kind="call", note="original")

    activity.note = "rewritten"
    with pytest.raises(ActivityImmutable):
        activity.save()
    with pytest.raises(ActivityImmutable):
        activity.delete()
    with pytest.raises(ActivityImmutable):
        Activity.objects.filter(pk=activity.pk).update(note="rewritten")
    with pytest.raises(ActivityImmutable):
        Activity.objects.all().delete()
    assert Activity.objects.get(pk=activity.pk).note == "original"


def test_the_database_refuses_an_update_that_goes_around_the_model(book):
    activity = activity_record(customer=book.customer, kind="call", note="original",
                               attachment_name="a.txt", attachment_bytes=b"evidence")

    for table, column, value in (("cases_activity", "note", "'rewritten'"), ("cases_attachment", "size", "1")):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {column} = {value}")
    assert Activity.objects.get(pk=activity.pk).note == "original"
    assert Attachment.objects.get().size == len(b"evidence")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's test flush deletes rows, so only PostgreSQL"
                    " refuses DELETE in the database")
def test_postgresql_refuses_a_delete_that_goes_around_the_model(book):
    activity_record(customer=book.customer, kind="call", note="original")

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_activity")
    assert Activity.objects.count() == 1
