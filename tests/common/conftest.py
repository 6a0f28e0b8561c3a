"""A kind of background job for the tests of the mechanism: ``tests.echo`` reports its steps and returns what its
parameters ask for (a file, a refusal, a crash), so each part of a job's life can be watched."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_noop

from arms.common import jobs
from arms.common.errors import ValidationFailed
from arms.common.models import Job

ECHO = "tests.echo"


class Echo:
    """Remembers what the job saw while it ran."""

    def __init__(self):
        self.calls = 0
        self.seen: list[tuple] = []

    def __call__(self, job: Job, progress) -> jobs.JobResult:
        self.calls += 1
        self.seen.append(("start", Job.objects.get(pk=job.pk).status))
        steps = job.params.get("steps", 2)
        for step in range(steps):
            progress(step, steps, gettext_noop("Carrying out action %(number)d of %(total)d"), number=step + 1,
                     total=steps)
            row = Job.objects.get(pk=job.pk)
            self.seen.append((row.status, row.progress_done, row.progress_total, row.message_params))
        if job.params.get("refuse"):
            raise ValidationFailed("The month must be between 01 and 12.", field="month")
        if job.params.get("crash"):
            raise RuntimeError("database password is hunter2")
        name = job.params.get("file", "")
        return jobs.JobResult(url="/reports/monthly/", api_url="/api/v1/reports/runs", label="Download %(filename)s",
                              data={"filename": name or "nothing", "steps": steps}, file_name=name,
                              file_content=b"\xef\xbb\xbfa,b\n1,2\n" if name else None)


@pytest.fixture
def echo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    runner = Echo()
    jobs.register(jobs.JobKind(ECHO, "Echo", "reports.view_reportrun", runner))
    yield runner
    jobs.unregister(ECHO)


@pytest.fixture(autouse=True)
def _english():
    """Jobs remember the language active when they start; another test may leave Chinese active in this thread,
    so these tests say which language they start in (the settings' English)."""
    from django.utils import translation

    with translation.override("en"):
        yield
