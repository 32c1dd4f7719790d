"""The two-section action plan: priorities, their SMART actions, councillors' endorsements,
the draft plan residents comment on, and the frozen versions of the final plan.

A priority will later be made from issues of the register (`consultation.Issue`): that link is a
many-to-many field added by a later migration, so nothing here depends on the register yet.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clp.models import CouncillorProfile
from plans.models import Plan


class Section(models.IntegerChoices):
    COMMUNITY = 1, _("Section 1: the community can do this itself")
    HELP = 2, _("Section 2: needs help from councils or agencies")


SCORE_CHOICES = [(1, _("1 – very low")), (2, _("2 – low")), (3, _("3 – medium")),
                 (4, _("4 – high")), (5, _("5 – very high"))]


class PriorityQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(plan__in=Plan.objects.visible_to(user))

    def in_plan_order(self):
        """Section 1 then 2; quick wins first within a section, then the group's rank."""
        return self.order_by("section", "-is_quick_win", "rank", "pk")


class Priority(models.Model):
    """An issue the community has agreed to act on, in section 1 or 2 of the action plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(_("priority"), max_length=200)
    why = models.TextField(
        _("why it is a priority"),
        help_text=_("The evidence: how many people raised it, in which survey or event, and "
                    "which groups feel it most."),
    )
    theme = models.CharField(
        _("theme"), max_length=100, blank=True,
        help_text=_("Groups the key findings in the plan, e.g. transport, housing, young people."),
    )
    section = models.PositiveSmallIntegerField(_("section"), choices=Section.choices)
    rank = models.PositiveIntegerField(default=0)
    is_quick_win = models.BooleanField(
        _("quick win"), default=False,
        help_text=_("Little effort and can be done soon. Quick wins are listed first so the group "
                    "does them first and tells people."),
    )
    is_long_term = models.BooleanField(
        _("long-term or hard to solve"), default=False,
        help_text=_("Say so honestly: some problems will take years or may never be fully solved."),
    )
    long_term_note = models.TextField(_("what makes it long-term or hard to solve"), blank=True)
    issues = models.ManyToManyField(
        "consultation.Issue", blank=True, related_name="priorities",
        verbose_name=_("issues from the register"),
        help_text=_("The issues this priority tackles, so it can be traced back to the evidence."))
    support_score = models.PositiveSmallIntegerField(
        _("support from the evidence"), choices=SCORE_CHOICES, null=True, blank=True,
        help_text=_("How strongly the surveys and events back it."),
    )
    impact_score = models.PositiveSmallIntegerField(
        _("impact"), choices=SCORE_CHOICES, null=True, blank=True,
        help_text=_("How much difference it would make to people's lives."),
    )
    effort_score = models.PositiveSmallIntegerField(
        _("effort"), choices=SCORE_CHOICES, null=True, blank=True,
        help_text=_("How much time, money and help it would take."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["section", "-is_quick_win", "rank", "pk"]
        verbose_name_plural = _("priorities")
        indexes = [models.Index(fields=["plan", "section", "rank"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:priority", kwargs={"pk": self.plan_id, "prid": self.pk})

    @property
    def is_scored(self) -> bool:
        return None not in (self.support_score, self.impact_score, self.effort_score)

    @property
    def suggested_score(self) -> int | None:
        """Support and impact count for it, effort against it (3 to 15; higher comes first)."""
        if not self.is_scored:
            return None
        return self.support_score + self.impact_score + (6 - self.effort_score)

    @property
    def needs_help(self) -> bool:
        return self.section == Section.HELP


class PrioritisationDecision(models.Model):
    """The group accepted the suggested order for a section, or kept its own (with a reason)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="prioritisation_decisions")
    section = models.PositiveSmallIntegerField(choices=Section.choices)
    accepted = models.BooleanField()
    reason = models.TextField(blank=True)
    suggested = models.JSONField(default=list)  # priority titles in the suggested order
    chosen = models.JSONField(default=list)  # priority titles in the order kept
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"Section {self.section}: {'accepted' if self.accepted else 'overridden'}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Every three months")
    SIX_MONTHLY = "six_monthly", _("Every six months")
    YEARLY = "yearly", _("Once a year")


class ActionQuerySet(models.QuerySet):
    def checked(self):
        """Actions the SMART check applies to: dropped ones no longer need to be SMART."""
        return self.exclude(status=ActionStatus.DROPPED)

    def failing_smart(self):
        """Agrees with Action.smart_gaps(): an action listed here has at least one gap."""
        return self.checked().filter(
            Q(outcome="") | Q(measure="") | Q(target_date__isnull=True)
            | Q(lead_user__isnull=True, lead_name="")
            | Q(priority__section=Section.HELP, partners="")
        )


class Action(models.Model):
    """One thing someone will do towards a priority, by a date, with a way to tell it worked."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("what will be done"), max_length=300)
    outcome = models.TextField(
        _("intended outcome"), blank=True,
        help_text=_("What will be different when it is done, e.g. “fewer cars speeding past the "
                    "school”."),
    )
    measure = models.CharField(
        _("how you will measure it"), max_length=300, blank=True,
        help_text=_("A number or a check anyone can repeat, e.g. “average speed under 30 mph in "
                    "the police speed survey”."),
    )
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="led_actions", verbose_name=_("community lead from the steering group"),
    )
    lead_name = models.CharField(
        _("or a named volunteer"), max_length=150, blank=True,
        help_text=_("Someone from the community who is not on the steering group."),
    )
    lead_contact = models.CharField(
        _("volunteer's phone or email"), max_length=200, blank=True,
        help_text=_("Kept private: only the steering group and support officers see it."),
    )
    partners = models.CharField(
        _("partner organisations or responsible agency"), max_length=300, blank=True,
        help_text=_("Who else must help, e.g. “Meonbridge District Council, highways team”. "
                    "Needed for section 2."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    cost_estimate = models.DecimalField(_("cost estimate (£)"), max_digits=10, decimal_places=2,
                                        null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    update_cadence = models.CharField(_("how often the lead reports progress"), max_length=20,
                                      choices=Cadence.choices, default=Cadence.QUARTERLY)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices,
                              default=ActionStatus.NOT_STARTED)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.what

    @property
    def lead_label(self) -> str:
        """The lead's name; never their contact details."""
        if self.lead_user_id:
            return str(self.lead_user)
        return self.lead_name

    def smart_gaps(self) -> list[str]:
        """What the action still lacks to be SMART (needs `priority` loaded for the section)."""
        if self.status == ActionStatus.DROPPED:
            return []
        gaps = []
        if not self.outcome:
            gaps.append(_("no intended outcome"))
        if not self.measure:
            gaps.append(_("no way to measure the outcome"))
        if not self.lead_user_id and not self.lead_name:
            gaps.append(_("no community lead"))
        if self.target_date is None:
            gaps.append(_("no target date"))
        if self.priority.section == Section.HELP and not self.partners:
            gaps.append(_("no partner organisation or agency named"))
        return [str(gap) for gap in gaps]

    @property
    def is_smart(self) -> bool:
        return not self.smart_gaps()


class EndorsementRequest(models.Model):
    """The group asks a councillor to review the priorities, saying what is asked and by when."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="endorsement_requests")
    councillor = models.ForeignKey(CouncillorProfile, on_delete=models.CASCADE,
                                   related_name="endorsement_requests")
    message = models.TextField(_("what you are asking"))
    respond_by = models.DateField(_("reply by"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["respond_by", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "councillor"],
                                               name="one_request_per_councillor")]

    def __str__(self):
        return f"{self.councillor} asked about {self.plan}"


class Decision(models.TextChoices):
    ENDORSE = "endorse", _("Endorse")
    SUPPORT = "support", _("Actively support")
    DECLINE = "decline", _("Decline")


POSITIVE = [Decision.ENDORSE, Decision.SUPPORT]


class EndorsementQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def positive(self):
        return self.filter(decision__in=POSITIVE)


class Endorsement(models.Model):
    """A councillor's decision on a priority. Rows are never edited: a change of mind adds a row
    and marks the earlier one as no longer current, so the history is kept."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="endorsements")
    councillor = models.ForeignKey(CouncillorProfile, on_delete=models.CASCADE,
                                   related_name="endorsements")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=True)

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["priority", "councillor", "is_current"])]
        constraints = [models.UniqueConstraint(
            fields=["priority", "councillor"], condition=Q(is_current=True),
            name="one_current_endorsement")]

    def __str__(self):
        return f"{self.councillor.short_name}: {self.get_decision_display()}"

    @property
    def is_positive(self) -> bool:
        return self.decision in POSITIVE


class Message(models.Model):
    """One message in the thread between a councillor and the group about a priority: the
    councillor's questions and the group's answers."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="messages")
    councillor = models.ForeignKey(CouncillorProfile, on_delete=models.CASCADE,
                                   related_name="priority_messages")
    from_councillor = models.BooleanField()
    body = models.TextField(_("message"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # Set once the other side has been emailed: the row is the record of the email to send.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["priority", "councillor", "at"])]

    def __str__(self):
        return self.body[:60]


class DraftPlan(models.Model):
    """What the draft plan page adds to the plan's records, and whether residents may see it."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="draft")
    monitoring = models.TextField(
        _("monitoring arrangements"), blank=True,
        help_text=_("Who checks progress, how often, and how residents and councillors will be "
                    "told, e.g. “the steering group reviews every action each quarter and reports "
                    "in the parish newsletter every six months”."),
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")

    def __str__(self):
        return f"Draft of {self.plan}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the group")
    APPROVED = "approved", _("Shown")
    REJECTED = "rejected", _("Not shown")


class DraftComment(models.Model):
    """A resident's comment on the published draft, shown only once the group approves it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="draft_comments")
    priority = models.ForeignKey(Priority, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="draft_comments",
                                 verbose_name=_("which priority is it about"))
    name = models.CharField(_("your name"), max_length=100, blank=True)
    body = models.TextField(_("your comment"), max_length=2000)
    status = models.CharField(max_length=10, choices=CommentStatus.choices,
                              default=CommentStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self):
        return self.body[:60]


class FrozenVersionError(Exception):
    pass


class PlanVersion(models.Model):
    """The final plan as it stood when finalised: an immutable snapshot of the action plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  related_name="+")
    frozen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_snapshot_per_version")]

    def __str__(self):
        return f"{self.plan} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenVersionError("A frozen plan version cannot be changed.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("actions:version", kwargs={"pk": self.plan_id, "number": self.number})

    def delete(self, *args, **kwargs):
        raise FrozenVersionError("A frozen plan version cannot be deleted.")
