"""The bell: a user's notifications (downgrades, broken promises, disputes near their SLA, reports)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from arms.common.models import Notification
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate
from arms.web.tables import notification_table


def unread_count(request) -> dict:
    """Context processor: the bell's count, one query, only for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}


@require_GET
@login_required
def notification_list(request):
    rows = Notification.objects.filter(user=request.user)
    if request.GET.get("unread"):
        rows = rows.filter(read_at__isnull=True)
    if export_format(request):
        return export_response(request, f"notifications-{timezone.localdate():%Y%m%d}", notification_table(rows))
    return render(request, "web/notifications.html", {"page": paginate(request, rows), "current": "notifications",
                                                      "unread_only": bool(request.GET.get("unread"))})


@require_POST
@login_required
def notification_open(request, notification_id: int):
    """Mark read, then go where the notification points (only inside ARMS)."""
    row = get_object_or_404(Notification, pk=notification_id, user=request.user)
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
    if row.link and url_has_allowed_host_and_scheme(row.link, allowed_hosts={request.get_host()}):
        return redirect(row.link)
    return redirect("web:notification_list")


@require_POST
@login_required
def notification_read_all(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("web:notification_list")
