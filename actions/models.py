"""The two-section action plan: priorities, their SMART actions, councillors' endorsements,
the draft plan residents comment on, and the frozen versions of the final plan.

A priority will later be made from issues of the register (`consultation.Issue`): that link is a
many-to-many field added by a later migration, so nothing here depends on the register yet.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clp.models import CouncillorProfile
from plans.models import Plan
from plans.uploads import validate_upload


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


class OwnerStatus(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not asked yet")
    ASKED = "asked", _("Asked, no answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    PROPOSED = "proposed", _("Proposed another date")


class OwnerRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner body")


class UpdateStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# What the older, coarser Action.status says for each progress status.
ACTION_STATUS_FOR = {
    UpdateStatus.NOT_STARTED: ActionStatus.NOT_STARTED,
    UpdateStatus.ON_TRACK: ActionStatus.IN_PROGRESS,
    UpdateStatus.AT_RISK: ActionStatus.IN_PROGRESS,
    UpdateStatus.DELAYED: ActionStatus.ON_HOLD,
    UpdateStatus.DONE: ActionStatus.DONE,
    UpdateStatus.DROPPED: ActionStatus.DROPPED,
}
CLOSED_STATUSES = [UpdateStatus.DONE, UpdateStatus.DROPPED]


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

    # --- delivery: what needs attention, found by query so reminders can be built on it

    def open(self):
        return self.exclude(progress__in=CLOSED_STATUSES)

    def in_plan(self, plan):
        return self.filter(priority__plan=plan)

    def overdue(self, today: date):
        """Agrees with Action.is_overdue: the (revised) target day has ended, locally."""
        return self.open().filter(target_date__lt=today)

    def update_due(self, now):
        """No update within the action's cadence (anchored on the last update, else on the lead's
        acceptance, else on when the action was added)."""
        from actions import health

        anchor = Coalesce("latest_update__at", "lead_answered_at", "created_at")
        query = Q()
        for cadence in Cadence.values:
            cutoff = health.cadence_cutoff(now, cadence)
            query |= Q(update_cadence=cadence, _anchor__lte=cutoff)
        return self.open().alias(_anchor=anchor).filter(query)

    def without_owner(self):
        return self.open().filter(lead_user__isnull=True, lead_name="")

    def declined(self):
        return self.open().filter(Q(lead_status=OwnerStatus.DECLINED)
                                  | Q(partner_status=OwnerStatus.DECLINED))

    def waiting_on_partner(self):
        return self.open().filter(priority__section=Section.HELP,
                                  partner_status__in=[OwnerStatus.ASKED, OwnerStatus.PROPOSED])

    def owned(self):
        """Every action of a plan must have an accepted lead before delivery is under way."""
        return self.filter(lead_status=OwnerStatus.ACCEPTED)

    # --- the agency inbox

    def addressed_to(self, partner):
        """Section 2 actions whose plan asked this registered body to help."""
        from plans.models import PlanStatus

        return self.filter(priority__section=Section.HELP, partner_body__registered=partner
                           ).exclude(partner_status=OwnerStatus.NOT_ASKED
                                     ).exclude(priority__plan__status=PlanStatus.ABANDONED)

    def in_communities_of(self, councillor):
        """Section 2 actions of the running plans of the communities a councillor covers."""
        from plans.models import PlanStatus

        return self.filter(priority__section=Section.HELP,
                           priority__plan__community__councillors=councillor
                           ).exclude(priority__plan__status=PlanStatus.ABANDONED)


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
    lead_email = models.EmailField(
        _("volunteer's email for requests and updates"), blank=True,
        help_text=_("The lead is asked by email to accept, and can post updates from a link "
                    "without an account. Kept private."))
    partner_body = models.ForeignKey(
        "actions.PartnerBody", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="actions", verbose_name=_("partner body asked to help"))
    lead_status = models.CharField(max_length=20, choices=OwnerStatus.choices,
                                   default=OwnerStatus.NOT_ASKED, editable=False)
    lead_answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    partner_status = models.CharField(max_length=20, choices=OwnerStatus.choices,
                                      default=OwnerStatus.NOT_ASKED, editable=False)
    partner_answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    progress = models.CharField(_("progress"), max_length=20, choices=UpdateStatus.choices,
                                default=UpdateStatus.NOT_STARTED, editable=False)
    percent = models.PositiveSmallIntegerField(default=0, editable=False)
    original_target_date = models.DateField(_("original target date"), null=True, blank=True,
                                            editable=False)
    latest_update = models.ForeignKey("actions.ProgressUpdate", on_delete=models.SET_NULL,
                                      null=True, blank=True, editable=False, related_name="+")
    carried_forward_from = models.PositiveIntegerField(null=True, blank=True, editable=False)

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

    # --- delivery -----------------------------------------------------------------------------
    @property
    def is_closed(self) -> bool:
        return self.progress in CLOSED_STATUSES

    @property
    def has_lead(self) -> bool:
        return bool(self.lead_user_id or self.lead_name)

    def lead_address(self) -> str:
        """Where requests and update links go: the member's account email or the volunteer's."""
        if self.lead_user_id:
            return self.lead_user.email if not self.lead_user.erased_at else ""
        return self.lead_email

    def is_overdue(self, today: date) -> bool:
        """Agrees with ActionQuerySet.overdue; `today` is the community's local date."""
        from actions import health

        return not self.is_closed and health.is_overdue(self.target_date, today)

    def health(self, now, today: date) -> list[str]:
        """The computed flags (health.Flag values); needs priority and latest_update loaded."""
        from actions import health

        return health.flags_for(self, now, today)


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
    sending_since = models.DateTimeField(null=True, editable=False)  # clp.outbox claim

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
    sending_since = models.DateTimeField(null=True, editable=False)  # clp.outbox claim

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


# --- delivery: owners who accept, progress with a reason, telling the community, review -------

class PartnerKind(models.TextChoices):
    PARISH = "parish", _("Parish or town council")
    DISTRICT = "district", _("District or borough council")
    COUNTY = "county", _("County or unitary council")
    AGENCY = "agency", _("Public agency (police, health, transport)")
    CHARITY = "charity", _("Charity or voluntary group")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class RegisteredPartnerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Bodies whose inbox the user may open (agrees with actions.rules): the support officers
        of the organisation keeping the directory, and the body's own contacts."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(Q(organisation__officers=user) | Q(contacts__user=user)).distinct()


class RegisteredPartner(models.Model):
    """A council team, agency or company registered once in a support organisation's directory,
    so every plan of its portfolio names the same body and the body sees every ask in one inbox."""

    organisation = models.ForeignKey("clp.Organisation", on_delete=models.CASCADE,
                                     related_name="partner_directory")
    name = models.CharField(_("name"), max_length=200,
                            help_text=_("For example “Downshire County Council, highways team”."))
    kind = models.CharField(_("type"), max_length=20, choices=PartnerKind.choices,
                            default=PartnerKind.COUNTY)
    email = models.EmailField(
        _("team email"), blank=True,
        help_text=_("Where requests to help are sent when a plan names this body."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RegisteredPartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"],
                                               name="one_partner_name_per_directory")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("actions:partner_inbox", kwargs={"bid": self.pk})


class PartnerContact(models.Model):
    """A person at a registered body who answers its asks; signed in once invited."""

    partner = models.ForeignKey(RegisteredPartner, on_delete=models.CASCADE,
                                related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="partner_contacts", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["partner", "email"],
                                               name="one_contact_email_per_partner")]

    def __str__(self):
        return f"{self.name} ({self.partner})"


class PartnerBody(models.Model):
    """A council or agency asked to help with the section 2 actions of one plan; `registered`
    links it to the body in the support organisation's directory, whose contacts answer."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="partner_bodies")
    name = models.CharField(_("name"), max_length=200,
                            help_text=_("For example “Meonbridge District Council, highways team”."))
    kind = models.CharField(_("type"), max_length=20, choices=PartnerKind.choices,
                            default=PartnerKind.DISTRICT)
    contact_email = models.EmailField(
        _("contact email"), blank=True,
        help_text=_("Where the request to help is sent. Kept private to the steering group."))
    registered = models.ForeignKey(
        RegisteredPartner, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="plan_bodies", verbose_name=_("body in the partner directory"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="one_partner_name_per_plan")]

    def __str__(self):
        return self.name


def _update_upload_to(instance, filename: str) -> str:
    import uuid

    from plans.uploads import detected_extension

    plan_id = instance.action.priority.plan_id
    return f"plans/{plan_id}/updates/{uuid.uuid4().hex}.{detected_extension(instance.file) or 'bin'}"


class OwnerRequestQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True, superseded=False)

    def unanswered_since(self, moment):
        """Requests still waiting for an answer that were sent before `moment` (for reminders)."""
        return self.unanswered().filter(sent_at__lte=moment)


class OwnerRequest(models.Model):
    """The lead or partner body is asked by email to accept the action, decline it (saying why,
    perhaps naming someone better) or propose another date. The row records the ask and the
    answer; its signed link works once."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="owner_requests")
    role = models.CharField(max_length=10, choices=OwnerRole.choices)
    recipient_name = models.CharField(max_length=200)
    recipient_email = models.EmailField()
    nonce = models.CharField(max_length=32, editable=False)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sending_since = models.DateTimeField(null=True, editable=False)  # clp.outbox claim
    superseded = models.BooleanField(default=False)
    answer = models.CharField(max_length=20, choices=OwnerStatus.choices, blank=True)
    reason = models.TextField(blank=True)
    suggested_instead = models.CharField(max_length=300, blank=True)
    proposed_date = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = OwnerRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["answered_at", "sent_at"])]

    def __str__(self):
        return f"{self.recipient_name}: {self.action}"


class ProgressUpdate(models.Model):
    """A report on an action: status, how far along, a note, and the public reason for a change
    of status. Rows are never edited; the action keeps its latest."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=UpdateStatus.choices)
    previous_status = models.CharField(max_length=20, choices=UpdateStatus.choices, blank=True)
    percent = models.PositiveSmallIntegerField(_("per cent complete"))
    note = models.TextField(_("what has happened"), blank=True)
    reason = models.CharField(
        _("reason for the change of status"), max_length=500, blank=True,
        help_text=_("Shown to residents, e.g. “won't do, because the bus company withdrew the "
                    "route”."))
    revised_target_date = models.DateField(_("revised target date"), null=True, blank=True)
    # No status says "need help": the lead's answer on the emailed link records the closest
    # status and this, which the chair sees as a health flag until a later update clears it.
    help_requested = models.BooleanField(_("the lead asked for help"), default=False)
    file = models.FileField(_("photo or document"), upload_to=_update_upload_to, blank=True,
                            validators=[validate_upload])
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    by_name = models.CharField(max_length=200, blank=True)  # a lead without an account
    partner = models.ForeignKey(RegisteredPartner, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="responses", editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.action}: {self.get_status_display()}"

    @property
    def status_changed(self) -> bool:
        return bool(self.previous_status) and self.previous_status != self.status

    @property
    def author(self) -> str:
        return self.by_name or (str(self.by) if self.by_id else "")


class HelpNotice(models.Model):
    """One email telling the chair or the secretary that a lead asked for help. One row per
    person per request (unique by address), so one who holds both roles, a retry or a second
    sweep still sends each person one email."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="help_notices")
    email = models.EmailField()
    # Deleted with the account (clp.accounts.user_erase), so no address outlives its person.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    why = models.CharField(max_length=300, blank=True)  # "You are the chair of …"
    created_at = models.DateTimeField(default=timezone.now)
    sending_since = models.DateTimeField(null=True, editable=False)  # clp.outbox claim
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["update", "email"],
                                               name="one_help_notice_per_person")]

    def __str__(self):
        return f"Help request on {self.update.action} to {self.email}"


class UpdateLink(models.Model):
    """A signed link emailed to the lead: they post one update without signing in."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="update_links")
    email = models.EmailField()
    name = models.CharField(max_length=200)
    nonce = models.CharField(max_length=32, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sending_since = models.DateTimeField(null=True, editable=False)  # clp.outbox claim
    used_at = models.DateTimeField(null=True, blank=True)
    # Set when the lead it was sent to is replaced or removed: the link never works again.
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Update link for {self.action}"


class OfferStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Email address not confirmed yet")
    CONFIRMED = "confirmed", _("Waiting for the group")
    ADDED = "added", _("Added as a helper")
    DECLINED = "declined", _("Thanked, not needed now")


class HelpOfferQuerySet(models.QuerySet):
    def for_plan(self, plan):
        """Offers on the plan's actions and on its priorities."""
        return self.filter(Q(action__priority__plan=plan) | Q(priority__plan=plan))


class HelpOffer(models.Model):
    """A resident offers to help with an action, or with a priority as a whole, from the public
    page (double opt-in by email). Exactly one of the two is set."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="help_offers")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="help_offers")
    name = models.CharField(_("your name"), max_length=150)
    email = models.EmailField(_("your email address"))
    what = models.TextField(_("what you could do"), max_length=2000)
    nonce = models.CharField(max_length=32, editable=False)
    status = models.CharField(max_length=20, choices=OfferStatus.choices,
                              default=OfferStatus.UNCONFIRMED)
    created_at = models.DateTimeField(default=timezone.now)
    confirm_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirm_sending_since = models.DateTimeField(null=True, editable=False)  # clp.outbox claims
    confirmed_at = models.DateTimeField(null=True, blank=True)
    lead_told_at = models.DateTimeField(null=True, blank=True, editable=False)
    lead_sending_since = models.DateTimeField(null=True, editable=False)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = HelpOfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["action", "status"]),
                   models.Index(fields=["priority", "status"])]
        constraints = [models.CheckConstraint(
            condition=Q(action__isnull=False, priority__isnull=True)
            | Q(action__isnull=True, priority__isnull=False),
            name="help_offer_on_an_action_or_a_priority")]

    def __str__(self):
        return f"{self.name} offers to help with {self.subject_title}"

    @property
    def subject_title(self) -> str:
        """What the offer is for: the action, or the priority as a whole."""
        return self.action.what if self.action_id else self.priority.title

    @property
    def plan(self) -> Plan:
        return self.action.priority.plan if self.action_id else self.priority.plan


class Helper(models.Model):
    """Someone helping the lead with an action, so the work does not rest on one person."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="helpers")
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    offer = models.OneToOneField(HelpOffer, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="helper")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.name


class RaisedIssue(models.Model):
    """A resident raises a new issue from the public page after the plan is published; once the
    group accepts it, it is in the issues register for the next review."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="raised_issues")
    title = models.CharField(_("the issue in a few words"), max_length=200)
    description = models.TextField(_("what is the problem"), max_length=3000)
    name = models.CharField(_("your name (optional)"), max_length=150, blank=True)
    email = models.EmailField(_("your email (optional)"), blank=True)
    status = models.CharField(max_length=10, choices=CommentStatus.choices,
                              default=CommentStatus.PENDING)
    issue = models.OneToOneField("consultation.Issue", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="raised_after_publication")
    created_at = models.DateTimeField(default=timezone.now)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self):
        return self.title


class CommunityUpdate(models.Model):
    """A report to residents on what changed since the last one; drafted from the records, edited
    by the group, then published on the public page."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="community_updates")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what to tell residents"))
    covers_from = models.DateTimeField()
    covers_to = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ReviewKind(models.TextChoices):
    LIGHT = "light", _("Light review: back to Prioritising")
    FULL = "full", _("Full review: back to Understanding your community")


class PlanReview(models.Model):
    """Step 9: the group goes through every action (achieved, carry forward, drop) at a meeting,
    then starts the next cycle of the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    version = models.PositiveIntegerField()
    kind = models.CharField(_("kind of review"), max_length=10, choices=ReviewKind.choices,
                            default=ReviewKind.LIGHT)
    held_on = models.DateField(_("date of the meeting"), null=True, blank=True)
    minute_reference = models.CharField(
        _("minute reference"), max_length=100, blank=True,
        help_text=_("Where the meeting's minutes record the review, e.g. “SG 2027/14”."))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version", "-pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"],
                                               name="one_review_per_version")]

    def __str__(self):
        return f"Review of {self.plan} v{self.version}"


class ReviewOutcome(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    CARRY = "carry", _("Carry forward")
    DROP = "drop", _("Drop")


class ReviewDecision(models.Model):
    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="decisions")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="review_decisions")
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "action"],
                                               name="one_decision_per_action")]

    def __str__(self):
        return f"{self.action}: {self.get_outcome_display()}"


class Follower(models.Model):
    """A resident following a plan, or one priority in it, by email from the public page. Nothing
    is sent until they confirm the address (double opt-in); then real status changes reach them in
    a digest through the reminder ledger, whose links unsubscribe them."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="followers")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="followers")
    email = models.EmailField(_("your email address"))
    nonce = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirm_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirm_sending_since = models.DateTimeField(null=True, editable=False)  # clp.outbox claim
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["plan", "confirmed_at"])]

    def __str__(self):
        return f"{self.email} follows {self.priority or self.plan}"
