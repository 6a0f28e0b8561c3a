"""The evidence bundle runs as a background job (``arms.common.jobs``), registered in ``CasesConfig.ready``.

Rendering the PDF index and zipping every contract scan and activity file of a long case takes longer than a
web request may, so the case page and ``POST /api/v1/collections/customers/{id}/bundle`` queue a
``cases.bundle`` job and show (or answer with) it; the job makes the ZIP, records the hand-off activity as the
person who asked, and keeps the ZIP as its file (served as an attachment from /jobs/ and the jobs API).
One job per customer and recipient at a time: asking again while it is under way returns the same job.

The daily checks asked for on demand (``POST /api/v1/collections/check``: promises kept or broken, plans
completed or breached, dispute deadlines) go over every open promise, plan and dispute, so they run as a
``cases.check`` job too, one per day at a time; the finished job's ``result_data`` holds the counts.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from arms.cases.services import disputes_sla_check, plans_check, promises_check
from arms.cases.services.bundles import bundle_recipient_check, evidence_bundle
from arms.common.errors import ValidationFailed
from arms.common.jobs import JobKind, JobResult, job_start, jobs_for_page, register
from arms.customers.models import Customer

BUNDLE = "cases.bundle"
#: the note travels in the job's parameters (at most 4,000 bytes of JSON): 1,000 characters of Chinese fit
BUNDLE_NOTE_MAX = 1_000
CHECK = "cases.check"


def bundle_job_start(*, customer, recipient: str, note: str, actor):
    """Queue the bundle; a bad recipient is refused now (naming the field), before anything is queued."""
    recipient = bundle_recipient_check(recipient)
    note = (note or "").strip()
    if len(note) > BUNDLE_NOTE_MAX:
        raise ValidationFailed(_("At most %(max)s characters.") % {"max": BUNDLE_NOTE_MAX}, field="note")
    key = hashlib.sha256(recipient.encode()).hexdigest()[:32]
    return job_start(kind=BUNDLE, params={"customer_id": customer.pk, "recipient": recipient, "note": note},
                     actor=actor, dedupe_key=f"{customer.pk}:{key}")


def bundle_jobs_of(*, user, customer_id: int) -> list:
    """The bundle jobs of one customer the case page shows (under way, or the user's own of the last hour)."""
    return [job for job in jobs_for_page(user=user, kind=BUNDLE, limit=20)
            if job.params.get("customer_id") == customer_id][:3]


def bundle_job(job, progress) -> JobResult:
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


def check_job_start(*, as_of, actor):
    return job_start(kind=CHECK, params={"date": as_of.isoformat()}, actor=actor, dedupe_key=as_of.isoformat())


def check_job(job, progress) -> JobResult:
    on = date.fromisoformat(job.params["date"])
    result = {"date": on.isoformat()}
    for step, (name, check) in enumerate((("promises", promises_check), ("plans", plans_check))):
        progress(step, 3, gettext_noop("Checking %(what)s"), what=name)
        result[name] = check(as_of=on, actor=job.started_by)
    progress(2, 3, gettext_noop("Checking %(what)s"), what="disputes")
    result["disputes"] = disputes_sla_check(as_of=on)
    return JobResult(data=result)


def register_jobs() -> None:
    register(JobKind(BUNDLE, gettext_lazy("Evidence bundle"), "cases.export_bundle", bundle_job))
    register(JobKind(CHECK, gettext_lazy("Collections checks"), "cases.change_promisetopay", check_job))
