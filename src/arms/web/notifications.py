"""The bell: a user's notifications (downgrades, broken promises, disputes near their SLA, reports)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from arms.common.notify import (
    notification_list as notifications_of,
)
from arms.common.notify import (
    notification_mark_read,
    notifications_mark_all_read,
    notifications_unread,
)
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate
from arms.web.tables import notification_table


def unread_count(request) -> dict:
    """Context processor: the bell's count, one query, only for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": notifications_unread(user)}


@require_GET
@login_required
def notification_list(request):
    rows = notifications_of(user=request.user, unread_only=bool(request.GET.get("unread")))
    if export_format(request):
        return export_response(request, f"notifications-{timezone.localdate():%Y%m%d}", notification_table(rows))
    return render(request, "web/notifications.html", {"page": paginate(request, rows), "current": "notifications",
                                                      "unread_only": bool(request.GET.get("unread"))})


@require_POST
@login_required
def notification_open(request, notification_id: int):
    """Mark read, then go where the notification points (only inside ARMS)."""
    row = notification_mark_read(user=request.user, notification_id=notification_id)
    if row is None:
        raise Http404
    if row.link and url_has_allowed_host_and_scheme(row.link, allowed_hosts={request.get_host()}):
        return redirect(row.link)
    return redirect("web:notification_list")


@require_POST
@login_required
def notification_read_all(request):
    notifications_mark_all_read(user=request.user)
    return redirect("web:notification_list")
