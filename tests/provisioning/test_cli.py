"""arms provisioning run / list / verify."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from arms.provisioning.models import ProvisionRun

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    out = io.StringIO()
    call_command("provisioning", *args, stdout=out)
    return out.getvalue()


def test_preview_post_list_verify(book):
    preview = json.loads(_call("run", "--as-of", book.e1.isoformat()))
    assert (preview["posted"], preview["required"], preview["true_up"]) == (False, "689.30", "689.30")
    assert not ProvisionRun.objects.exists()
    posted = json.loads(_call("run", "--as-of", book.e1.isoformat(), "--post", "--user", "finmgr"))
    run = ProvisionRun.objects.get()
    assert (posted["run"], posted["true_up"], run.posted_by) == (run.pk, "689.30", book.finmgr)
    assert json.loads(_call("list", "--json"))[0]["required"] == "689.30"
    assert json.loads(_call("verify", str(run.pk)))["ok"] is True
    with pytest.raises(CommandError, match=f"as_of: .*{book.e1:%Y-%m}"):
        _call("run", "--as-of", book.e1.isoformat(), "--post")
    with pytest.raises(CommandError, match="--as-of"):
        _call("run", "--as-of", "31/10/2026")
    assert ProvisionRun.objects.count() == 1
