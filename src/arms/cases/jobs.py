"""The evidence bundle runs as a background job (``arms.common.jobs``), registered in ``CasesConfig.ready``.

Rendering the PDF index and zipping every contract scan and activity file of a long case takes longer than a
web request may, so the case page and ``POST /api/v1/collections/customers/{id}/bundle`` queue a
``cases.bundle`` job and show (or answer with) it; the job makes the ZIP, records the hand-off activity as the
person who asked, and keeps the ZIP as its file (served as an attachment from /jobs/ and the jobs API).
One job per customer and recipient at a time: asking again while it is under way returns the same job.
"""

from __future__ import annotations

import hashlib

from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from arms.common.jobs import JobKind, JobResult, job_start, jobs_for_page, register

BUNDLE = "cases.bundle"


def bundle_job_start(*, customer, recipient: str, note: str, actor):
    """Queue the bundle; a bad recipient is refused now (naming the field), before anything is queued."""
    from arms.cases.services.bundles import bundle_recipient_check

    recipient = bundle_recipient_check(recipient)
    key = hashlib.sha256(recipient.encode()).hexdigest()[:32]
    return job_start(kind=BUNDLE, params={"customer_id": customer.pk, "recipient": recipient, "note": note},
                     actor=actor, dedupe_key=f"{customer.pk}:{key}")


def bundle_jobs_of(*, user, customer_id: int) -> list:
    """The bundle jobs of one customer the case page shows (under way, or the user's own of the last hour)."""
    return [job for job in jobs_for_page(user=user, kind=BUNDLE, limit=20)
            if job.params.get("customer_id") == customer_id][:3]


def bundle_job(job, progress) -> JobResult:
    from arms.cases.services.bundles import evidence_bundle
    from arms.customers.models import Customer

    params = job.params
    customer = Customer.objects.get(pk=params["customer_id"])
    progress(0, 1, gettext_noop("Collecting the evidence of %(customer)s"), customer=customer.code)
    made = evidence_bundle(customer=customer, actor=job.started_by, recipient=params["recipient"],
                           note=params.get("note", ""))
    progress(1, 1, gettext_noop("Collecting the evidence of %(customer)s"), customer=customer.code)
    return JobResult(url=reverse("cases:case", args=[customer.pk]), label=gettext_noop("Open the case"),
                     data={"customer_id": customer.pk, "filename": made.filename, "sha256": made.sha256,
                           "activity_id": made.activity.pk, "files": len(made.files)},
                     file_name=made.filename, file_content=made.content)


def register_jobs() -> None:
    register(JobKind(BUNDLE, gettext_lazy("Evidence bundle"), "cases.export_bundle", bundle_job))
