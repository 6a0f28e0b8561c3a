"""`arms warnings`: evaluate on a day, list the standing warnings, create the defaults; a bad date is refused."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from arms.earlywarning.models import Indicator, Warning
from tests import factories

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("warnings", *args, stdout=out)
    return out.getvalue()


def test_evaluate_list_and_defaults(today):
    assert json.loads(run("defaults")) == {"created": 13}
    assert json.loads(run("defaults")) == {"created": 0}
    Indicator.objects.exclude(metric="oldest_overdue_days").update(active=False)
    customer = factories.customer("HD001", name="华东机电有限公司")
    factories.invoice(customer, issued=today - timedelta(days=150), due_date=today - timedelta(days=120))
    result = json.loads(run("evaluate", "--as-of", today.isoformat()))
    assert (result["indicators"], result["raised"]) == (1, 1)
    rows = json.loads(run("list", "--json"))
    assert [(r["subject"], r["status"]) for r in rows] == [("华东机电有限公司", "open")]
    assert Warning.objects.get().raised_on == today
    with pytest.raises(CommandError, match="--as-of"):
        run("evaluate", "--as-of", "2026-13-01")
