"""Dunning (催收): policies with a ladder of stages, daily runs, the actions they take, and the e-mail outbox.

Design overview and invariants (★ = also enforced by the database):

- A ``DunningPolicy`` is a ladder of ``DunningStage`` rows, each ``offset_days`` relative to an item's due
  date (-7 before it, +30 after) and owned by an escalation level (sales → finance → credit/legal).
  ★ Offsets and codes are unique within a policy; the level never steps down as the offset rises (the
  services check it with ``arms.domain.dunning.ladder_problems``). A customer's policy is its
  ``DunningProfile.policy`` if set, else the active policy of lowest ``priority`` whose grade / industry /
  region match (blank = any).
- A ``DunningRun`` selects, for one date, the open items that reached a stage they have not been through,
  set-based in SQL, and writes one ``DunningItem`` per item: ``actioned`` for the highest stage due, with
  ``stages_skipped`` counting the lower ones passed over (runs before issue 17 also wrote a ``skipped`` row per
  lower stage; those rows are kept as history and read the same way). ★ One run per company and day: starting
  a run for a day that has one returns that run (two clicks, the schedule and a user, 32 simultaneous API calls
  all get the same run).
  ★ One item row per (invoice, stage offset), ever: no run can act on an item's stage twice.
- Items of one customer, stage and currency are acted on together: one ``DunningAction`` (one letter, one
  e-mail, one task). ★ One action per (run, customer, stage, currency). Processing an action (activity, task,
  hold, PDFs, e-mail row) is idempotent: each thing it makes is keyed by ``dunning:<action id>``; a queue worker
  claims the action first (pending or failed → processing, ``claimed_at``), so of several consumers given it
  one does the work, and a claim older than the timeout (a dead worker) is taken again.
- A ``DunningEmail`` is an outbox row: ★ at most one per action; it is marked ``sent`` only after the SMTP
  server accepted the message, and only a pending or failed row can be claimed for sending, so a retry never
  sends a message twice. Its Message-ID is fixed when the row is written, so the same message keeps its id.
- A ``DunningExclusion`` keeps a customer out of dunning, with a reason; ★ at most one active per customer.
- A lawyer's letter is reviewed before anything is sent (``services/reviews.py``): processing an action whose stage
  writes a lawyer's letter only drafts it (``status`` awaiting review, ``review_status`` awaiting, a review task for
  legal); no PDF is stored, no activity, hold or e-mail is made until a second person approves it. Approval freezes
  who issues the letter (``issuer``: the configured law firm, or the company's own legal department, whose letter is
  titled 催告函) and hands the action back to processing; a rejection keeps it unsent with the reviewer's comment
  until it is resubmitted. ★ An action awaiting review or rejected is never picked up by processing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arms.cases.enums import Level, TaskKind
from arms.common.bounds import MAX_NOTE, text_length_constraint

#: The tasks a stage can give (the collection cases' ``TaskKind``, one definition); blank is no task.
STAGE_TASK_KINDS = (TaskKind.CALL, TaskKind.VISIT, TaskKind.FOLLOW_UP, TaskKind.LEGAL_REVIEW, TaskKind.HANDOFF)
STAGE_TASK_CHOICES = [("", _("No task")), *((kind.value, kind.label) for kind in STAGE_TASK_KINDS)]


class LetterKind(models.TextChoices):
    NONE = "", _("No letter")
    LETTER = "letter", _("Dunning letter (催款函)")
    LAWYER_LETTER = "lawyer_letter", _("Lawyer's letter (律师函)")


class EmailTemplate(models.TextChoices):
    PRE_DUE = "pre_due", _("Friendly reminder before the due date")
    OVERDUE = "overdue", _("Payment reminder")
    LETTER = "letter", _("Formal dunning letter")
    LAWYER_LETTER = "lawyer_letter", _("Lawyer's letter")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    EN = "en", _("English")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Daily schedule")
    CLI = "cli", _("Command line")
    UI = "ui", _("Web UI")
    API = "api", _("API")
    DEMO = "demo", _("Demo data")


class ActionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    AWAITING_REVIEW = "awaiting_review", _("Awaiting legal review")


class ReviewStatus(models.TextChoices):
    NOT_REQUIRED = "", _("No review needed")
    AWAITING = "awaiting", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ItemOutcome(models.TextChoices):
    ACTIONED = "actioned", _("Actioned")
    SKIPPED = "skipped", _("Skipped (a higher stage was due)")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    NO_ADDRESS = "no_address", _("No address")


class DunningPolicy(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Short unique name, e.g. standard."))
    name = models.CharField(_("name"), max_length=100, help_text=_("What the policy is for."))
    description = models.TextField(_("description"), max_length=MAX_NOTE, blank=True, help_text=_("When to use it."))
    grade = models.CharField(
        _("credit grade"), max_length=1, blank=True, default="",
        help_text=_("Applies to customers of this credit grade (A-D); blank for any grade."),
    )
    industry = models.CharField(
        _("industry"), max_length=20, blank=True, default="",
        help_text=_("Applies to customers of this industry; blank for any."),
    )
    region = models.CharField(
        _("region"), max_length=20, blank=True, default="",
        help_text=_("Applies to customers of this region; blank for any."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("When several policies match a customer, the lowest number wins.")
    )
    grace_days = models.PositiveSmallIntegerField(
        _("interest grace days"), default=0, help_text=_("Days after the due date before late interest is charged.")
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive policies dun nobody."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was created."))

    class Meta:
        verbose_name = _("dunning policy")
        verbose_name_plural = _("dunning policies")
        ordering = ["priority", "code"]
        constraints = [
            text_length_constraint("description", MAX_NOTE, name="dunning_policy_description_length"),
            models.CheckConstraint(condition=Q(grade__in=["", "A", "B", "C", "D"]), name="dunning_policy_grade_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class DunningStage(models.Model):
    policy = models.ForeignKey(
        DunningPolicy, on_delete=models.CASCADE, related_name="stages", help_text=_("The ladder this step is on.")
    )
    code = models.SlugField(_("code"), max_length=40, help_text=_("Short name, unique in the policy, e.g. letter."))
    name = models.CharField(_("name"), max_length=100, help_text=_("Shown in the UI and the activity log."))
    offset_days = models.SmallIntegerField(
        _("days from due date"),
        help_text=_("When the step is due: -7 is a week before the due date, 30 a month after."),
    )
    level = models.CharField(
        _("escalation level"), max_length=20, choices=Level.choices, default=Level.SALES,
        help_text=_("Who acts at this step: sales, finance, or credit and legal."),
    )
    send_email = models.BooleanField(_("send e-mail"), default=False, help_text=_("E-mail the customer."))
    email_template = models.CharField(
        _("e-mail template"), max_length=20, choices=EmailTemplate.choices, default=EmailTemplate.OVERDUE,
        help_text=_("Which text the e-mail uses (in the customer's language)."),
    )
    attach_statement = models.BooleanField(
        _("attach statement"), default=True, help_text=_("Attach the dunning statement (open items, interest) as PDF.")
    )
    letter_kind = models.CharField(
        _("letter"), max_length=20, choices=LetterKind.choices, default=LetterKind.NONE, blank=True,
        help_text=_("Write a letter as PDF (attached to the e-mail and the activity)."),
    )
    task_kind = models.CharField(
        _("task"), max_length=20, choices=STAGE_TASK_CHOICES, default="", blank=True,
        help_text=_("Give the person for the level a task."),
    )
    stop_supply = models.BooleanField(
        _("stop supply"), default=False, help_text=_("Place a credit hold (停止供货) on the customer.")
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("deadline (days)"), default=10, help_text=_("Days the customer is given to pay, stated in letters and tasks.")
    )

    class Meta:
        verbose_name = _("dunning stage")
        verbose_name_plural = _("dunning stages")
        ordering = ["policy", "offset_days"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="dunning_stage_code_unique_per_policy"),
            models.UniqueConstraint(fields=["policy", "offset_days"], name="dunning_stage_offset_unique_per_policy"),
            models.CheckConstraint(
                condition=Q(offset_days__gte=-365) & Q(offset_days__lte=3650), name="dunning_stage_offset_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offset_days:+d} {self.name}"

    @property
    def activity_kind(self) -> str:
        """The kind of the cases activity that records this step."""
        if self.letter_kind:
            return self.letter_kind
        if self.task_kind == TaskKind.HANDOFF:
            return "handoff"
        if self.send_email:
            return "email"
        return "system"


class DunningProfile(models.Model):
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="dunning_profile",
        help_text=_("The customer these dunning settings are for."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, blank=True, default="",
        help_text=_("Language of e-mails and letters; blank: English for overseas customers, else Chinese."),
    )
    policy = models.ForeignKey(
        DunningPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("A policy for this customer alone; blank: the matching policy by grade, industry, region."),
    )

    class Meta:
        verbose_name = _("dunning profile")
        verbose_name_plural = _("dunning profiles")

    def __str__(self) -> str:
        return str(self.customer)


class DunningExclusion(models.Model):
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="dunning_exclusions",
        help_text=_("The customer kept out of dunning."),
    )
    reason = models.CharField(_("reason"), max_length=300, help_text=_("Why the customer is not dunned."))
    until = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Last day of the exclusion; blank until lifted.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was made."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", help_text=_("Who made it.")
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True, help_text=_("When it was lifted."))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who lifted it."),
    )
    lift_note = models.CharField(_("note on lifting"), max_length=300, blank=True, help_text=_("Why it was lifted."))

    class Meta:
        verbose_name = _("dunning exclusion")
        verbose_name_plural = _("dunning exclusions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(lifted_at__isnull=True),
                name="dunning_exclusion_one_active_per_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer}: {self.reason}"


class DunningRun(models.Model):
    company = models.ForeignKey(
        "customers.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The company whose receivables the run dunned; one run per company and day. Empty only on "
                    "extra runs of one day made before that rule (they are kept as history)."),
    )
    as_of = models.DateField(_("as of"), db_index=True, help_text=_("The day the run dunned for."))
    trigger = models.CharField(
        _("started by"), max_length=20, choices=RunTrigger.choices, help_text=_("What started the run.")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The user who started it; empty for the schedule."),
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True, help_text=_("When the run started."))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, help_text=_("When it finished."))
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING, help_text=_("Where it is.")
    )
    actions_count = models.PositiveIntegerField(_("actions"), default=0, help_text=_("Actions the run created."))
    items_count = models.PositiveIntegerField(_("items actioned"), default=0, help_text=_("Open items acted on."))
    skipped_count = models.PositiveIntegerField(
        _("stages skipped"), default=0, help_text=_("Lower stages passed over because a higher one was due.")
    )
    held_count = models.PositiveIntegerField(
        _("items held"), default=0, help_text=_("Open items left alone: disputed, promised or under a plan.")
    )
    excluded_count = models.PositiveIntegerField(
        _("customers excluded"), default=0, help_text=_("Customers with an active exclusion.")
    )
    error = models.TextField(_("error"), blank=True, help_text=_("Why the run failed, if it did."))

    class Meta:
        verbose_name = _("dunning run")
        verbose_name_plural = _("dunning runs")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "as_of"], name="dunning_run_one_per_company_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} #{self.pk}"


def letter_path(instance, filename: str) -> str:
    return f"dunning/{instance.as_of:%Y/%m}/{instance.pk}/{filename}"


class DunningAction(models.Model):
    run = models.ForeignKey(DunningRun, on_delete=models.PROTECT, related_name="actions", help_text=_("The run."))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="dunning_actions", help_text=_("Who is dunned.")
    )
    policy = models.ForeignKey(DunningPolicy, on_delete=models.PROTECT, related_name="+", help_text=_("The policy."))
    stage = models.ForeignKey(
        DunningStage, on_delete=models.PROTECT, related_name="actions", help_text=_("The step of the ladder.")
    )
    stage_offset = models.SmallIntegerField(_("stage (days)"), help_text=_("The stage's offset when it was taken."))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, help_text=_("Who acts."))
    as_of = models.DateField(_("date"), db_index=True, help_text=_("The day the action was taken for."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("Currency of the items listed."))
    open_minor = models.BigIntegerField(_("open amount"), help_text=_("Open amount of the items listed, minor units."))
    interest_minor = models.BigIntegerField(
        _("late interest"), default=0, help_text=_("Late interest on the items as of the date, minor units.")
    )
    penalty_minor = models.BigIntegerField(
        _("penalty"), default=0, help_text=_("Liquidated damages (违约金) on the items, minor units.")
    )
    deadline = models.DateField(_("pay by"), help_text=_("The deadline stated to the customer."))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The person for the level who follows up."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PENDING,
        help_text=_("Pending until its activity, task, hold, letter and e-mail are made."),
    )
    claimed_at = models.DateTimeField(
        _("claimed at"), null=True, blank=True,
        help_text=_("When a queue worker took it up; a claim older than the timeout is taken up again."),
    )
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True, help_text=_("When it was done."))
    error = models.TextField(_("error"), blank=True, help_text=_("Why processing failed, if it did."))
    letter_pdf = models.FileField(
        _("letter"), upload_to=letter_path, blank=True,
        help_text=_("The letter as sent (PDF), if the stage writes one."),
    )
    statement_pdf = models.FileField(
        _("statement"), upload_to=letter_path, blank=True, help_text=_("The dunning statement as sent (PDF).")
    )
    letter_sha256 = models.CharField(
        _("letter SHA-256"), max_length=64, blank=True, help_text=_("Fingerprint of the letter, as evidence.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When the run made it."))
    review_status = models.CharField(
        _("legal review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.NOT_REQUIRED,
        blank=True, help_text=_("A lawyer's letter is a draft until legal approves it; blank for other stages."),
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The person who triggered or resubmitted the draft (empty for the schedule); never its reviewer."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who approved or rejected the draft."),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, help_text=_("When it was reviewed."))
    review_note = models.CharField(
        _("review comment"), max_length=1000, blank=True, help_text=_("The reviewer's comment (why it was rejected)."),
    )
    issuer = models.JSONField(
        _("issued by"), default=dict, blank=True,
        help_text=_("Who the letter is issued by, frozen on approval: the law firm (firm, lawyer, licence number, "
                    "address, phone) or the company's own legal department."),
    )

    class Meta:
        verbose_name = _("dunning action")
        verbose_name_plural = _("dunning actions")
        ordering = ["-as_of", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "customer", "stage", "currency"], name="dunning_action_once_per_run_customer_stage"
            ),
            models.CheckConstraint(condition=Q(open_minor__gte=0), name="dunning_action_open_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="awaiting_review") | Q(review_status__in=["awaiting", "rejected"]),
                name="dunning_action_held_for_review",
            ),
        ]
        indexes = [models.Index(fields=["customer", "-as_of"], name="dunning_action_by_customer"),
                   models.Index(fields=["review_status", "as_of"], name="dunning_action_by_review")]
        permissions = [
            ("view_lawyer_letter", _("Can view lawyer's letters")),
            ("send_dunning_email", _("Can send and retry dunning e-mails")),
            ("review_lawyer_letter", _("Can approve or reject lawyer's letter drafts")),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.stage_offset:+d} {self.as_of}"

    @property
    def needs_review(self) -> bool:
        """A lawyer's letter that legal has not approved yet: processing only drafts it."""
        return self.stage.letter_kind == LetterKind.LAWYER_LETTER and self.review_status != ReviewStatus.APPROVED

    @property
    def source_ref(self) -> str:
        """The key of everything processing makes for this action (activity, task, hold)."""
        return f"dunning:{self.pk}"


class DunningItem(models.Model):
    run = models.ForeignKey(DunningRun, on_delete=models.PROTECT, related_name="items", help_text=_("The run."))
    action = models.ForeignKey(
        DunningAction, null=True, blank=True, on_delete=models.PROTECT, related_name="items",
        help_text=_("The action that listed the item; empty when the stage was skipped."),
    )
    invoice = models.ForeignKey(
        "ledger.Invoice", on_delete=models.PROTECT, related_name="dunning_items", help_text=_("The open item.")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", help_text=_("The invoice's customer.")
    )
    stage = models.ForeignKey(DunningStage, on_delete=models.PROTECT, related_name="+", help_text=_("The stage."))
    stage_offset = models.SmallIntegerField(_("stage (days)"), help_text=_("The stage's offset, as taken."))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ItemOutcome.choices, help_text=_("Acted on or skipped.")
    )
    days_past_due = models.IntegerField(_("days past due"), help_text=_("As of the run's date; negative before it."))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("The invoice's currency."))
    amount_open_minor = models.BigIntegerField(_("open amount"), help_text=_("Open on the run's date, minor units."))
    interest_minor = models.BigIntegerField(_("late interest"), default=0, help_text=_("As of the run's date."))
    penalty_minor = models.BigIntegerField(_("penalty"), default=0, help_text=_("Liquidated damages, if any."))
    stages_skipped = models.PositiveSmallIntegerField(
        _("stages passed over"), default=0,
        help_text=_("Lower stages of the ladder this item passed over to reach this one (acted on only once)."),
    )

    class Meta:
        verbose_name = _("dunned item")
        verbose_name_plural = _("dunned items")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "stage_offset"], name="dunning_item_once_per_invoice_and_stage"),
            models.CheckConstraint(
                condition=(Q(outcome="actioned") & Q(action__isnull=False))
                | (Q(outcome="skipped") & Q(action__isnull=True)),
                name="dunning_item_actioned_has_action",
            ),
        ]
        indexes = [models.Index(fields=["customer", "stage_offset"], name="dunning_item_by_customer")]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.stage_offset:+d} {self.outcome}"


class DunningEmail(models.Model):
    action = models.OneToOneField(
        DunningAction, on_delete=models.PROTECT, related_name="email", help_text=_("The action it belongs to.")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", help_text=_("The addressee's company.")
    )
    to_address = models.CharField(
        _("to"), max_length=500, blank=True, help_text=_("Recipient addresses, comma-separated; blank if none.")
    )
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, help_text=_("Its language."))
    subject = models.CharField(_("e-mail subject"), max_length=300, help_text=_("Subject line."))
    body = models.TextField(_("body"), help_text=_("Plain-text body."))
    message_id = models.CharField(
        _("Message-ID"), max_length=200, unique=True, help_text=_("Fixed when written, so a resend keeps its identity.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING,
        help_text=_("Sent only once the SMTP server accepted it."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, help_text=_("Send attempts so far."))
    last_error = models.TextField(_("last error"), blank=True, help_text=_("The last failure, as the server said it."))
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True, help_text=_("When last tried."))
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True, help_text=_("When the scheduled retry may try again.")
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, help_text=_("When the server accepted it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was queued."))

    class Meta:
        verbose_name = _("dunning e-mail")
        verbose_name_plural = _("dunning e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="dunning_email_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="dunning_email_by_status")]

    def __str__(self) -> str:
        return self.subject

    @property
    def recipients(self) -> list[str]:
        return [a for a in self.to_address.split(",") if a]
