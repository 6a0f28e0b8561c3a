from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.cases.enums import Level, TaskKind, TaskStatus


class Task(models.Model):
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="collection_tasks",
                                 help_text=_("The customer the task is about."))
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices,
                            help_text=_("Call, visit, letter, legal review, hand-off, follow-up."))
    title = models.CharField(_("title"), max_length=200, help_text=_("What to do, in a line."))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="collection_tasks",
        help_text=_("Who is to do it; empty when nobody holds the level."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices,
                             help_text=_("Escalation level: sales, finance, credit/legal."))
    due_on = models.DateField(_("due on"), db_index=True, help_text=_("When it should be done."))
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN,
                              help_text=_("Open, done or cancelled."))
    source = models.CharField(_("source"), max_length=40, blank=True,
                              help_text=_("What created it, e.g. dunning, promise, plan, dispute."))
    source_ref = models.CharField(_("source reference"), max_length=120, blank=True,
                                  help_text=_("The source's own reference; unique per source."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was created."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Who created it; empty for the system."))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, help_text=_("When done or cancelled."))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", help_text=_("Who closed it."))
    activity = models.OneToOneField(
        "cases.Activity", null=True, blank=True, on_delete=models.PROTECT, related_name="task",
        help_text=_("The activity recorded when it was done."),
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_ref"], condition=~Q(source_ref=""),
                                    name="task_source_ref_unique"),
            models.CheckConstraint(condition=Q(status="open") | Q(closed_at__isnull=False),
                                   name="task_closed_has_time"),
        ]
        indexes = [models.Index(fields=["assignee", "status", "due_on"], name="task_assignee_open")]

    def __str__(self) -> str:
        return self.title
