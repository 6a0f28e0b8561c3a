"""/imports/: the import page checks a file at once (every bad row listed) and imports it as a background job
whose progress the page shows; a file too big or unreadable is refused beside the file field."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arms.common.models import Job
from arms.customers.models import Customer
from tests import factories
from tests.imports.support import counts, csv_bytes

GOOD = csv_bytes([["客户编码", "客户名称"], ["C001", "上海甲公司"], ["C002", "北京乙公司"]])
URL = "/imports/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _post(client, data: bytes, **fields):
    return client.post(URL, {"kind": "customers", "file": SimpleUploadedFile("c.csv", data), "encoding": "",
                             **fields})


def test_the_page_is_linked_for_those_who_may_import_and_refused_to_others(client, clerk):
    assert reverse("web:imports") == URL
    client.force_login(clerk)
    assert f'href="{URL}"' in client.get(reverse("web:home")).content.decode()

    client.force_login(factories.user("collector1", role="collector"))
    assert client.get(URL).status_code == 403
    assert f'href="{URL}"' not in client.get(reverse("web:home")).content.decode()


def test_a_check_lists_every_bad_row_and_writes_nothing(client, clerk):
    client.force_login(clerk)
    before = counts()

    response = _post(client, csv_bytes([["客户编码", "客户名称"], ["C001", ""], ["C001", "乙"]]), dry_run="on")

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-errors"' in page and page.count("<tr><td class=\"num\">") == 2
    assert counts() == before and Job.objects.count() == 0


def test_a_check_of_a_good_file_says_what_would_happen(client, clerk):
    client.force_login(clerk)

    response = _post(client, GOOD, dry_run="on")

    assert response.status_code == 200 and 'id="import-check"' in response.content.decode()
    assert Customer.objects.count() == 0


def test_an_import_runs_as_a_job_and_the_page_shows_it(client, clerk, django_capture_on_commit_callbacks):
    client.force_login(clerk)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, GOOD)

    assert response.status_code == 302 and response.url == URL
    job = Job.objects.get(kind="imports.file")
    assert (job.status, job.result_data["created"], job.started_by) == ("done", 2, clerk)
    assert f'id="job-{job.pk}"' in client.get(URL).content.decode()
    assert Customer.objects.count() == 2


def test_a_file_over_20_mb_is_refused_beside_the_file_field(client, clerk):
    client.force_login(clerk)
    before = counts()

    response = _post(client, b"\0" * (21 * 1024 * 1024))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "file": ["The file is larger than 20 MB; ARMS accepts files of at most 20 MB."]}
    assert counts() == before and Job.objects.count() == 0
