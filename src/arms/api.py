"""The one NinjaAPI at /api. Routers of each app are mounted under /api/v1.

Errors always have one shape, ``{"error": {"code", "message", "field"?, "fields"?}}``:
ArmsError -> its status (400/403/404/409/422); schema validation -> 422 naming each field; a query parameter
the operation does not declare -> 422 ``unknown_parameter`` naming it (a misspelt filter would otherwise be
ignored and the whole list returned); unknown object -> 404; missing permission -> 403. An unexpected exception
is a 500 and a bug. Messages are in the caller's language (Accept-Language), as on the pages.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from arms.common import api_errors
from arms.common.errors import ArmsError, ErrorCode, ValidationFailed

log = logging.getLogger("arms.api")


class BearerToken(HttpBearer):
    """Authorization: Bearer <token made with `arms token create --user NAME`>."""

    def authenticate(self, request, token):
        from arms.accounts.services import token_authenticate

        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The web UI's session; unsafe methods need the CSRF token as Django requires everywhere."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def __call__(self, request):
        # Without a logged-in session there is nothing to protect from CSRF: the request is simply
        # unauthenticated (401), not a CSRF failure (403).
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


#: What every operation may answer besides its success, in the one error shape (docs/api.md, *Errors*).
ALWAYS = {401: "Not authenticated", 403: "The role lacks the permission", 404: "No such object, or not yours",
          422: "Invalid input (a field, an unknown query parameter)",
          503: "The database does not answer; retry after Retry-After seconds"}
WITH_BODY = {400: "The body is not JSON", 413: "The body is over the size limit"}
WRITES = {409: "The current state refuses it (already done, duplicate, over the limit)"}


def error_statuses(method: str, operation: dict) -> dict[int, str]:
    """The error statuses an operation declares: the one rule, so no router repeats it."""
    statuses = dict(ALWAYS)
    if "requestBody" in operation:
        statuses |= WITH_BODY
    if method.upper() in ("POST", "PUT", "PATCH", "DELETE"):
        statuses |= WRITES
    return statuses


def declare_error_responses(document: dict) -> dict:
    """Add the error statuses to every operation of an OpenAPI document, each with the ``ErrorOut`` schema."""
    from arms.common.api_types import ErrorOut

    ref = "#/components/schemas/{model}"
    schema = ErrorOut.model_json_schema(ref_template=ref, mode="serialization")
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in {**schema.pop("$defs", {}), "ErrorOut": schema}.items():
        assert components.get(name, definition) == definition, f"schema name {name} is used twice"
        components[name] = definition
    content = {"application/json": {"schema": {"$ref": ref.format(model="ErrorOut")}}}
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, description in error_statuses(method, operation).items():
                responses.setdefault(status, {"description": description, "content": content})
            if 503 in responses:
                responses[503].setdefault("headers", {"Retry-After": {
                    "description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}})
    return document


class ArmsAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return declare_error_responses(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = ArmsAPI(
    title="ARMS API",
    version="1",
    description="Accounts receivable: customers, contracts, invoices, credit notes, payments, allocations.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[BearerToken(), SessionAuth()],
)


class UnknownQueryParameter(ValidationFailed):
    code = ErrorCode.UNKNOWN_PARAMETER

    def __init__(self, unknown: list[str], known: frozenset[str]):
        names = ", ".join(unknown)
        if known:
            message = _("Unknown query parameter %(names)s; this address takes %(known)s.") % {
                "names": names, "known": ", ".join(sorted(known))}
        else:
            message = _("Unknown query parameter %(names)s; this address takes none.") % {"names": names}
        super().__init__(message, field=unknown[0])


def query_parameters(operation) -> frozenset[str]:
    """The query parameters an operation declares (a ``Query[Schema]`` flattened to its fields, by alias)."""
    return frozenset(name for model in operation.models if model.__ninja_param_source__ == "query"
                     for name in model.__ninja_flatten_map__)


def refuse_unknown_query_parameters(run):
    """Wrap every operation's run (``api.add_decorator``): a query parameter it does not declare is a 422 naming it.

    The caller is authenticated first (``_run_checks``, as the operation itself would), so an anonymous request
    is still a 401, not a hint about parameters."""
    operation = run.__self__
    known = query_parameters(operation)

    @wraps(run)
    def checked(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - known)
        if not unknown:
            return run(request, *args, **kwargs)
        return operation._run_checks(request) or api.on_exception(request, UnknownQueryParameter(unknown, known))

    return checked


api.add_decorator(refuse_unknown_query_parameters, mode="view")  # "view" wraps Operation.run


def _error(request, status: int, body: dict):
    return api.create_response(request, {"error": body}, status=status)


@api.exception_handler(ArmsError)
def on_arms_error(request, exc: ArmsError):
    return _error(request, exc.status, exc.as_dict())


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields = []
    for err in exc.errors:
        parts = list(err.get("loc", ()))
        # drop where the value came from ("body", "query", ...) and the name of the body parameter
        if parts and parts[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
            if parts.pop(0) == "body" and parts[:1] == ["payload"]:
                parts.pop(0)
        name = ""
        for part in parts:
            # lines[0].amount_minor, as the services name the fields of a list
            name += f"[{part}]" if isinstance(part, int) else f"{'.' if name else ''}{part}"
        fields.append({"field": name or "body", "message": err.get("msg", "invalid")})
    first = fields[0] if fields else {"field": "body", "message": "invalid"}
    return _error(request, 422, {"code": ErrorCode.INVALID, "message": f"{first['field']}: {first['message']}",
                                 "field": first["field"], "fields": fields})


@api.exception_handler(Http404)
def on_404(request, exc):
    return _error(request, 404, {"code": ErrorCode.NOT_FOUND, "message": str(exc) or _("Not found.")})


@api.exception_handler(ObjectDoesNotExist)
def on_missing(request, exc):
    return _error(request, 404, {"code": ErrorCode.NOT_FOUND, "message": _("Not found.")})


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return _error(request, 403, {"code": ErrorCode.FORBIDDEN, "message": str(exc) or _("Permission denied.")})


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """Ninja's own refusals (unparseable JSON body, CSRF) in the one error shape."""
    codes = {400: ErrorCode.INVALID, 403: ErrorCode.FORBIDDEN, 404: ErrorCode.NOT_FOUND,
             405: ErrorCode.METHOD_NOT_ALLOWED, 429: ErrorCode.THROTTLED}
    body = {"code": codes.get(exc.status_code, ErrorCode.ERROR), "message": str(exc)}
    if exc.status_code == 400:
        body["field"] = "body"
    return _error(request, exc.status_code, body)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (read when the operation parses it): 413."""
    return api_errors.payload_too_large()


@api.exception_handler(api_errors.OperationalError)
@api.exception_handler(api_errors.InterfaceError)
def on_database_down(request, exc):
    """The database does not answer: 503 with Retry-After, so clients and proxies retry later."""
    return api_errors.for_exception(exc)


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    """A bug: 500 in the one shape, the traceback in the log and never in the answer (DEBUG or not)."""
    log.error("unhandled exception in %s %s", request.method, request.path, exc_info=exc)
    return api_errors.for_exception(exc)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, {"code": ErrorCode.UNAUTHENTICATED,
                                 "message": _("Send Authorization: Bearer <token>, or log in.")})


def _mount() -> None:
    from arms.accounts.api import router as me_router
    from arms.analytics.api import router as analytics_router
    from arms.bank.api_bank import router as bank_router
    from arms.bank.api_cash import router as cash_router
    from arms.cases.api import router as cases_router
    from arms.collectionplans.api import router as collection_plans_router
    from arms.common.api import router as jobs_router
    from arms.confirmations.api import router as confirmations_router
    from arms.confirmations.coverage_api import router as coverage_router
    from arms.contractreview.api import router as contract_review_router
    from arms.contracts.api import router as contracts_router
    from arms.credit.api import router as credit_router
    from arms.customers.api import router as customers_router
    from arms.dunning.api import router as dunning_router
    from arms.earlywarning.api import router as warnings_router
    from arms.exposure.api import router as exposure_router
    from arms.forecast.api import router as forecast_router
    from arms.handover.api import router as handovers_router
    from arms.imports.api import router as imports_router
    from arms.incentives.api import router as incentives_router
    from arms.ledger.api import router as ledger_router
    from arms.ledger.api_batch import router as batch_router
    from arms.ledger.api_deliveries import router as deliveries_router
    from arms.legal.api import router as legal_router
    from arms.limitation.api import router as limitation_router
    from arms.portal.api import router as portal_router
    from arms.prediction.api import router as prediction_router
    from arms.provisioning.api import router as provisioning_router
    from arms.reports.api import router as reports_router
    from arms.salesrecon.api import router as salesrecon_router
    from arms.stress.api import router as stress_router
    from arms.web.audit import router as audit_router
    from arms.writeoffs.api import router as writeoffs_router
    from arms.writeoffs.small_api import router as small_balances_router

    api.add_router("/v1/me", me_router)
    api.add_router("/v1/jobs", jobs_router)
    api.add_router("/v1/customers", customers_router)
    api.add_router("/v1/contracts", contracts_router)
    api.add_router("/v1/contracts", contract_review_router)  # review, sign-offs, performance (arms.contractreview)
    api.add_router("/v1", batch_router)  # /invoices/batch, /payments/batch: before /invoices/{id}
    api.add_router("/v1", ledger_router)
    api.add_router("/v1", deliveries_router)  # invoices' deliveries, receipt, PDF; /deliveries/...
    api.add_router("/v1/imports", imports_router)
    api.add_router("/v1/bank", bank_router)  # accounts, statements, column profiles
    api.add_router("/v1/cash", cash_router)  # statement lines, matches, aliases, unapplied cash, reconciliation
    api.add_router("/v1/credit", credit_router)
    api.add_router("/v1/credit", exposure_router)  # /v1/credit/check, /holds, /overrides: one credit API for ERPs
    api.add_router("/v1/collections", cases_router)
    api.add_router("/v1/dunning", dunning_router)
    api.add_router("/v1/collection-plans", collection_plans_router)
    api.add_router("/v1/handovers", handovers_router)
    # /coverage before the confirmations' /{confirmation_id}, which would take the word for an id
    api.add_router("/v1/confirmations", coverage_router)
    api.add_router("/v1/confirmations", confirmations_router)
    api.add_router("/v1/provisioning", provisioning_router)
    # before the write-off requests: their /{request_id} would take "small-balances" for an id
    api.add_router("/v1/write-offs/small-balances", small_balances_router)
    api.add_router("/v1/write-offs", writeoffs_router)
    api.add_router("/v1/limitation", limitation_router)
    api.add_router("/v1/legal", legal_router)
    api.add_router("/v1/analytics", analytics_router)
    api.add_router("/v1/warnings", warnings_router)
    api.add_router("/v1/prediction", prediction_router)
    api.add_router("/v1/forecast", forecast_router)
    api.add_router("/v1/stress", stress_router)
    api.add_router("/v1/incentives", incentives_router)
    api.add_router("/v1/reports", reports_router)
    api.add_router("/v1/audit", audit_router)
    api.add_router("/v1/portal", portal_router)  # a contact's portal session only (arms.portal.api)
    api.add_router("/v1/sales-reconciliations", salesrecon_router)


_mount()
