from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from clp.models import Community, CouncillorProfile
from plans import steps
from plans.steps import CommunityGroup, Step
from plans.uploads import evidence_upload_to, minutes_upload_to, validate_upload


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")


class PlanQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status__in=[PlanStatus.ACTIVE, PlanStatus.PAUSED])

    def visible_to(self, user):
        """Plans whose private pages the user may see; agrees with plans.rules.can_view_plan."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(community__organisations__officers=user)
            | Q(memberships__user=user, memberships__left_on__isnull=True)
            | Q(councillor_links__councillor__user=user)
        ).distinct()


class Plan(models.Model):
    """One community led plan: a process moving through the nine steps, not just a document."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(_("title"), max_length=200)
    vision = models.TextField(_("vision statement"), blank=True)
    start_date = models.DateField(_("start date"), default=date.today)
    target_completion = models.DateField(_("target completion date"), null=True, blank=True)
    terms_of_reference = models.TextField(
        _("terms of reference"), blank=True,
        help_text=_("What the steering group is for, how it makes decisions and how it reports."),
    )
    step = FSMField(default=Step.GETTING_STARTED, choices=Step.choices, protected=True)
    status = FSMField(default=PlanStatus.ACTIVE, choices=PlanStatus.choices, protected=True)
    step_entered_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    # When the current review cycle began; None in a plan's first cycle.
    cycle_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["community__name", "-start_date"]

    def __str__(self):
        return f"{self.title} ({self.community})"

    def get_absolute_url(self):
        return reverse("plans:detail", kwargs={"pk": self.pk})

    # --- transitions: the only code that writes `step` and `status` ---------------------------
    @transition(field=step, source=steps.ORDER[:-1], target=RETURN_VALUE(*steps.ORDER[1:]),
                conditions=[lambda plan: plan.status == PlanStatus.ACTIVE])
    def advance(self):
        self.step_entered_at = timezone.now()
        return steps.next_step(self.step)

    @transition(field=step, source=steps.ORDER[1:], target=RETURN_VALUE(*steps.ORDER[:-1]))
    def revisit(self, to_step: str):
        if to_step not in steps.earlier_steps(self.step):
            raise ValueError("A plan can only go back to an earlier step.")
        self.step_entered_at = timezone.now()
        return to_step

    @transition(field=step, source=Step.REVIEWING, target=RETURN_VALUE(*steps.REVIEW_RESTART_STEPS))
    def start_review_cycle(self, to_step: str):
        if to_step not in steps.REVIEW_RESTART_STEPS:
            raise ValueError("A review restarts at Understanding or Prioritising.")
        self.version += 1
        self.step_entered_at = self.cycle_started_at = timezone.now()
        return to_step

    @transition(field=status, source=PlanStatus.ACTIVE, target=PlanStatus.PAUSED)
    def pause(self):
        pass

    @transition(field=status, source=PlanStatus.PAUSED, target=PlanStatus.ACTIVE)
    def resume(self):
        pass

    @transition(field=status, source=[PlanStatus.ACTIVE, PlanStatus.PAUSED],
                target=RETURN_VALUE(PlanStatus.COMPLETED, PlanStatus.ABANDONED))
    def close(self, outcome: str):
        if outcome not in (PlanStatus.COMPLETED, PlanStatus.ABANDONED):
            raise ValueError("A plan is closed as completed or abandoned.")
        return outcome

    # --- derived ---------------------------------------------------------------------------
    def in_this_cycle(self, queryset, field: str):
        """The rows of `queryset` whose `field` falls in the current review cycle: a new cycle's
        gate starts fresh, so work recorded for an earlier version does not count."""
        if self.cycle_started_at is None:
            return queryset
        return queryset.filter(**{f"{field}__gte": self.cycle_started_at})

    @property
    def stage(self) -> str:
        return steps.STAGE_OF[self.step]

    @property
    def stage_label(self) -> str:
        return steps.Stage(self.stage).label

    @property
    def step_number(self) -> int:
        return steps.number(self.step)

    @property
    def days_in_step(self) -> int:
        return (timezone.now() - self.step_entered_at).days

    @property
    def is_active(self) -> bool:
        return self.status == PlanStatus.ACTIVE

    @property
    def is_closed(self) -> bool:
        return self.status in (PlanStatus.COMPLETED, PlanStatus.ABANDONED)


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    TREASURER = "treasurer", _("Treasurer")
    MEMBER = "member", _("Member")
    CHAMPION = "champion", _("Community champion")


MANAGER_ROLES = [Role.CHAIR, Role.SECRETARY]


# Words in a champion's theme that name a group the plan must reach.
CHAMPION_THEME_WORDS = {
    CommunityGroup.YOUNG_PEOPLE: ("young", "youth", "teen", "children and young"),
    CommunityGroup.FAMILIES: ("famil", "parent"),
    CommunityGroup.OLDER_PEOPLE: ("older", "elderly", "pensioner", "retired"),
    CommunityGroup.DISABLED_PEOPLE: ("disab", "accessib"),
    CommunityGroup.BUSINESSES: ("business", "traders", "shops", "economy"),
    CommunityGroup.COMMUNITY_GROUPS: ("clubs", "community groups", "societies", "voluntary"),
    CommunityGroup.MINORITY_ETHNIC: ("ethnic", "bame", "minority"),
    CommunityGroup.OUTLYING: ("outlying", "hamlet", "farms"),
}


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_on__isnull=True)


class Membership(models.Model):
    """A person's place on a plan's steering group."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    theme = models.CharField(
        _("theme they champion"), max_length=100, blank=True,
        help_text=_('For community champions, e.g. "transport" or "young people".'),
    )
    represents = models.JSONField(_("represents"), default=list, blank=True)
    joined_on = models.DateField(_("joined"), default=date.today)
    left_on = models.DateField(_("left"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["left_on", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "user"], condition=Q(left_on__isnull=True),
                name="one_active_membership_per_plan",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"

    def represents_labels(self) -> list[str]:
        return [CommunityGroup(g).label for g in self.groups_represented()]

    def groups_represented(self) -> list[str]:
        """The groups ticked for this member, and for a champion the group their theme names
        (a champion for young people represents young people)."""
        groups = [g for g in self.represents if g in CommunityGroup.values]
        if self.role == Role.CHAMPION:
            theme = self.theme.casefold()
            groups += [group for group, words in CHAMPION_THEME_WORDS.items()
                       if group not in groups and any(word in theme for word in words)]
        return groups


class CouncillorLink(models.Model):
    """A councillor attached to a plan: they can read it and, later, endorse its priorities."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="councillor_links")
    councillor = models.ForeignKey(
        CouncillorProfile, on_delete=models.CASCADE, related_name="plan_links"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "councillor"], name="one_link_per_councillor")
        ]

    def __str__(self):
        return f"{self.councillor} on {self.plan}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Plan created")
    ADVANCED = "advanced", _("Moved on")
    REVISITED = "revisited", _("Went back")
    REVIEW = "review", _("Review cycle started")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    CLOSED = "closed", _("Closed")
    TICKED = "ticked", _("Checklist item ticked")
    UNTICKED = "unticked", _("Checklist item unticked")
    WAIVED = "waived", _("Checklist item waived")
    MEMBERSHIP = "membership", _("Steering group change")
    COUNCILLOR = "councillor", _("Councillor attached")
    EDITED = "edited", _("Plan details changed")
    CONTENT = "content", _("Content added or changed")


class PlanEvent(models.Model):
    """The plan's history: who did what, when, and why. Rows are never edited."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_step = models.CharField(max_length=20, choices=Step.choices, blank=True)
    to_step = models.CharField(max_length=20, choices=Step.choices, blank=True)
    summary = models.CharField(max_length=300)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return self.summary


class ChecklistEntry(models.Model):
    """A gate item ticked by the group or waived by a support officer."""

    class Kind(models.TextChoices):
        TICK = "tick", _("Ticked")
        WAIVER = "waiver", _("Waived")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="checklist_entries")
    key = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    link = models.URLField(_("link"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "key", "kind"], name="one_entry_per_item_kind")
        ]

    def __str__(self):
        return f"{self.key} {self.kind}"


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Milestone(models.Model):
    """A step of the process plan, e.g. questionnaire pilot → print → distribute → collect."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    owner = models.CharField(_("who is responsible"), max_length=150, blank=True)
    target_date = models.DateField(_("target date"))
    actual_date = models.DateField(_("date done"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )

    class Meta:
        ordering = ["target_date", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status != MilestoneStatus.DONE and self.target_date < timezone.localdate()


class SupportSource(models.Model):
    """Support and funding found for the process (grants, officer time, printing, hall hire)."""

    class Kind(models.TextChoices):
        FUNDING = "funding", _("Funding")
        SUPPORT = "support", _("Advice or support")
        IN_KIND = "in_kind", _("Help in kind")

    class Status(models.TextChoices):
        EXPLORING = "exploring", _("Exploring")
        APPLIED = "applied", _("Applied for")
        SECURED = "secured", _("Secured")
        DECLINED = "declined", _("Not available")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="support_sources")
    name = models.CharField(_("funder or supporter"), max_length=200)
    kind = models.CharField(_("type of support"), max_length=20, choices=Kind.choices,
                            default=Kind.FUNDING)
    amount = models.DecimalField(
        _("amount (£)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.EXPLORING
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class MeetingKind(models.TextChoices):
    OPEN_MEETING = "open_meeting", _("Open community meeting")
    STEERING = "steering", _("Steering group meeting")
    DROP_IN = "drop_in", _("Drop-in or exhibition")
    YOUTH_FORUM = "youth_forum", _("Youth forum")
    SCHOOL = "school", _("School activity")
    INTERVIEW = "interview", _("Interviews or home visits")
    DISCUSSION_GROUP = "discussion_group", _("Discussion group")
    OTHER = "other", _("Other event")


class Meeting(models.Model):
    """A meeting or engagement event, with who it reached and what was said."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type of meeting or event"), max_length=20, choices=MeetingKind.choices)
    date = models.DateField(_("date"))
    location = models.CharField(_("where"), max_length=200, blank=True)
    groups_reached = models.JSONField(_("groups reached"), default=list, blank=True)
    attendance = models.PositiveIntegerField(_("how many people came"), null=True, blank=True)
    notes = models.TextField(_("minutes or notes"), blank=True)
    minutes_file = models.FileField(
        _("minutes file"), upload_to=minutes_upload_to, blank=True, validators=[validate_upload]
    )
    is_public = models.BooleanField(
        _("show on the community's public page"), default=False
    )

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return self.title

    def groups_reached_labels(self) -> list[str]:
        return [CommunityGroup(g).label for g in self.groups_reached if g in CommunityGroup.values]


class EvidenceKind(models.TextChoices):
    CONSULTATION = "consultation", _("Earlier consultation")
    CENSUS = "census", _("Census or demographic data")
    REPORT = "report", _("Report")
    PHOTO = "photo", _("Photo")
    DRAWING = "drawing", _("Drawing")
    NOTES = "notes", _("Discussion notes")
    OTHER = "other", _("Other")


class EvidenceItem(models.Model):
    """An existing source of evidence about the community, with its file or link."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type of evidence"), max_length=20, choices=EvidenceKind.choices)
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("Who produced it, e.g. Office for National Statistics."))
    date = models.DateField(_("date"), null=True, blank=True)
    themes = models.CharField(_("themes"), max_length=300, blank=True,
                              help_text=_("Separate themes with commas, e.g. housing, transport."))
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True,
                            validators=[validate_upload])
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    link = models.URLField(_("link"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "title"]

    def __str__(self):
        return self.title

    def theme_list(self) -> list[str]:
        return [t.strip() for t in self.themes.split(",") if t.strip()]


# --- published documents -----------------------------------------------------------------------

class PublicationStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be built")
    RENDERING = "rendering", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class PublicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(plan__in=Plan.objects.visible_to(user))

    def public(self):
        """Finished documents anyone may read: listed on the community's public page."""
        return self.filter(status=PublicationStatus.DONE, is_public=True)


def publication_upload_to(publication, filename: str) -> str:
    return f"publications/{publication.plan_id}/{filename}"


class Publication(models.Model):
    """One document built as a PDF by a background task. The row is the record of the work: the
    task claims it, and a sweep picks up rows whose message was lost or whose worker died."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="publications")
    kind = models.CharField(max_length=40)  # a key of plans.documents
    large_print = models.BooleanField(_("large print"), default=False)
    source_id = models.PositiveIntegerField(null=True, blank=True)  # e.g. a plan version or survey
    title = models.CharField(max_length=300)
    source_label = models.CharField(max_length=100, blank=True)  # e.g. "Version 1"
    is_public = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=PublicationStatus.choices,
                              default=PublicationStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True, editable=False)
    file = models.FileField(upload_to=publication_upload_to, max_length=300, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    bytes = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    # What only the request knows (e.g. plain one-time codes, which are never stored otherwise):
    # kept until the document is built or fails, then wiped, so it lives on only in the file.
    secret_input = models.JSONField(null=True, blank=True, editable=False)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "started_at"]),
                   models.Index(fields=["plan", "kind", "source_id"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:publication", kwargs={"pk": self.plan_id, "pid": self.pk})

    @property
    def is_done(self) -> bool:
        return self.status == PublicationStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == PublicationStatus.FAILED

    @property
    def is_waiting(self) -> bool:
        return self.status in (PublicationStatus.QUEUED, PublicationStatus.RENDERING)

    @property
    def filename(self) -> str:
        """What the download is saved as on the reader's computer."""
        from django.utils.text import slugify

        suffix = "-large-print" if self.large_print else ""
        return f"{slugify(self.title)[:80] or 'document'}{suffix}.pdf"
