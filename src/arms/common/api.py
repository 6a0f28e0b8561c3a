"""/api/v1/jobs: background jobs, which every long operation of the API answers with (202 and a Location).

    GET /jobs                 the caller's jobs, newest first (limit/offset)
    GET /jobs/{id}            one job: status, progress, message, error, result (the caller's, or of a kind
                              whose permission the caller holds; anything else is 404)
    GET /jobs/{id}/file       the file a job made, as an attachment

An endpoint that starts long work (a report, a dunning run, a batch of e-mails) answers ``202 Accepted`` with
the job as its body and ``Location: /api/v1/jobs/{id}``; poll that until ``status`` is ``done`` (then follow
``result_api_url`` or ``file_url``) or ``failed`` (then read ``error`` and ``error_code``). ``job_accepted``
builds that answer.
"""

from __future__ import annotations

from datetime import datetime

from django.http import FileResponse, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import NinjaJSONEncoder

from arms.common.api_types import username_of
from arms.common.errors import ErrorCode, NotFound
from arms.common.files import file_response
from arms.common.jobs import (
    job_error_text,
    job_get,
    job_list,
    job_message_text,
    job_result_label_text,
    kind_label,
)
from arms.common.models import Job
from arms.common.pagination import PageParams, paginate

router = Router(tags=["Background jobs"])


class JobOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    progress_done: int
    progress_total: int | None
    percent: int | None
    message: str
    error: str
    error_code: str
    started_by: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result_page_url: str
    result_api_url: str
    result_label: str
    result_data: dict
    file_url: str | None
    url: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return kind_label(obj.kind)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_message(obj) -> str:
        return job_message_text(obj)

    @staticmethod
    def resolve_error(obj) -> str:
        return job_error_text(obj)

    resolve_started_by = username_of("started_by")

    @staticmethod
    def resolve_result_page_url(obj) -> str:
        return obj.result_url

    @staticmethod
    def resolve_result_label(obj) -> str:
        return job_result_label_text(obj) if obj.status == "done" else ""

    @staticmethod
    def resolve_file_url(obj) -> str | None:
        return f"/api/v1/jobs/{obj.pk}/file" if obj.result_file else None

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/api/v1/jobs/{obj.pk}"


class JobPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[JobOut]


def job_accepted(request, job: Job) -> HttpResponse:
    """202 Accepted with the job as the body and its address in ``Location``: the answer of long work."""
    response = JsonResponse(JobOut.model_validate(job).model_dump(), encoder=NinjaJSONEncoder, status=202)
    response["Location"] = f"/api/v1/jobs/{job.pk}"
    return response


#: the OpenAPI description of a 202 answer, for the endpoints that start jobs
ACCEPTED = {202: JobOut}


@router.get("", response=JobPage, summary="My background jobs, newest first")
def jobs(request, page: Query[PageParams]):
    return paginate(job_list(user=request.user), limit=page.limit, offset=page.offset)


@router.get("/{job_id}", response=JobOut, summary="One background job: status, progress, result")
def job_detail(request, job_id: int):
    return job_get(user=request.user, job_id=job_id)


@router.get("/{job_id}/file", response={200: None}, summary="The file a job made",
            openapi_extra={"responses": {200: {"content": {"application/octet-stream": {}}}}})
def job_file(request, job_id: int):
    job = job_get(user=request.user, job_id=job_id)
    if not job.result_file:
        raise NotFound(_("This job made no file."), field="job_id", code=ErrorCode.NO_FILE)
    return job_file_response(job)


def job_file_response(job: Job) -> FileResponse:
    """The job's file as an attachment, as the type it was stored as (never sniffed by the browser)."""
    name = job.result_file.name.rsplit("/", 1)[-1]
    return file_response(job.result_file.open("rb"), filename=name, content_type=job.result_content_type)
