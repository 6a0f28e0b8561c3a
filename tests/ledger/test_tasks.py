import pytest

from arms.ledger.models import Invoice
from arms.ledger.tasks import integrity_check, nightly_integrity_check
from tests import factories


@pytest.mark.django_db
def test_nightly_integrity_check_reports_a_sound_ledger(clerk, customer):
    factories.invoice(customer, actor=clerk)
    assert nightly_integrity_check.call_local() == {
        "ledger_ok": True, "failed_checks": [], "audit_ok": True, "audit_events": 1, "audit_first_bad_seq": None,
        "seals_ok": True,
    }


@pytest.mark.django_db
def test_integrity_check_names_a_tampered_invoice(clerk, customer, caplog):
    invoice = factories.invoice(customer, actor=clerk)
    Invoice.objects.filter(pk=invoice.pk).update(amount_open_minor=1)  # around the service
    result = integrity_check()
    assert result["ledger_ok"] is False
    assert result["failed_checks"] == ["invoice_open_amount"]  # the journal itself is intact
    assert "ledger check failed" in caplog.text
