"""Pages of background jobs: /jobs/ (the user's recent jobs), /jobs/<id>/ (one job; its status partial, which
htmx polls while the job is queued or running), /jobs/<id>/file/ (the file it made, as an attachment).

A page that starts long work shows the job with ``{% include "web/includes/job_status.html" %}``: while the job is
queued or running the partial asks ``/jobs/<id>/?poll=1`` every two seconds and replaces itself; the answer that
finds it finished also tells htmx to reload the page (``HX-Refresh``), so the page's own tables and the button
that started the job show the new state.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from arms.common.api import job_file_response
from arms.common.errors import NotFound
from arms.common.jobs import job_get, job_list


def _job(request, job_id: int):
    try:
        return job_get(user=request.user, job_id=job_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_GET
@login_required
def job_index(request):
    page = Paginator(job_list(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "web/jobs.html", {"page": page})


@require_GET
@login_required
def job_detail(request, job_id: int):
    job = _job(request, job_id)
    if request.htmx:
        response = render(request, "web/includes/job_status.html", {"job": job})
        if request.GET.get("poll") and not job.is_active:
            response["HX-Refresh"] = "true"
        return response
    return render(request, "web/job.html", {"job": job})


@require_GET
@login_required
def job_file(request, job_id: int):
    job = _job(request, job_id)
    if not job.result_file:
        raise Http404("no file")
    return job_file_response(job)
