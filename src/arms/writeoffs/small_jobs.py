"""The background job of small balances (``arms.common.jobs``): posting an approved batch of more than
``POST_INLINE`` residues, one item per transaction (started again, it continues with the items not yet posted).
Registered by ``WriteOffsConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, Progress, register
from arms.common.models import Job
from arms.ledger.models import SmallBalanceBatch
from arms.writeoffs.small_services import JOB_KIND, small_balance_batch_post


def post_job(job: Job, progress: Progress) -> JobResult:
    batch = SmallBalanceBatch.objects.get(pk=job.params["batch_id"])
    message = gettext_noop("Writing off small balances")
    progress(0, batch.items_count, message)
    batch = small_balance_batch_post(actor=job.started_by, batch=batch,
                                     progress=lambda done, total: progress(done, total, message))
    return JobResult(url=f"/write-offs/small-balances/batches/{batch.pk}/",
                     api_url=f"/api/v1/write-offs/small-balances/batches/{batch.pk}",
                     label=gettext_noop("Wrote off %(posted)d small balances"),
                     data={"posted": batch.posted_count, "batch": batch.pk})


def register_small_jobs() -> None:
    register(JobKind(JOB_KIND, gettext_lazy("Small-balance write-off"), "ledger.view_smallbalancebatch", post_job))
