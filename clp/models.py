import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person with an account. Email is the login; residents answering surveys need none."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False, help_text=_(
        "When the person deleted their account; what they wrote stays, as a former member."))

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.get_full_name()

    def get_full_name(self):
        if self.erased_at:
            return str(_("Former member"))
        return self.full_name or self.email

    def get_short_name(self):
        return self.get_full_name() if self.erased_at else (self.full_name.split() or [self.email])[0]

    @property
    def is_site_admin(self) -> bool:
        return self.is_active and self.is_superuser


class CommunityKind(models.TextChoices):
    PARISH = "parish", _("Parish")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")
    WARD = "ward", _("Ward")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Communities whose private pages the user may see (agrees with clp.rules)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        # Plan roles are declared in `plans`; the reverse lookup names them without importing it.
        return self.filter(
            Q(organisations__officers=user)
            | Q(plans__memberships__user=user, plans__memberships__left_on__isnull=True)
            | Q(plans__councillor_links__councillor__user=user)
        ).distinct()


class Community(models.Model):
    """A parish, town, village, ward or neighbourhood that makes a community led plan."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("web address name"), max_length=80, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CommunityKind.choices, default=CommunityKind.PARISH
    )
    district = models.CharField(_("district or borough"), max_length=150, blank=True)
    county = models.CharField(_("county or unitary authority"), max_length=150, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    controller = models.CharField(
        _("who is responsible for the data"), max_length=200, blank=True,
        help_text=_("Named as the data controller in the privacy notice, usually the parish or "
                    "town council, e.g. “Bramley Green Parish Council”."))
    privacy_contact = models.CharField(_("contact for privacy questions"), max_length=200,
                                       blank=True)
    retention_months = models.PositiveSmallIntegerField(
        _("months answers are kept after a survey closes"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("After this, the words residents wrote are removed, and their codes and "
                    "uploaded files deleted. Counts and themes stay."))
    created_at = models.DateTimeField(auto_now_add=True)
    gss_code = models.CharField(
        _("ONS area code (GSS)"), max_length=9, blank=True,
        validators=[RegexValidator(r"^[EWSN]\d{8}$", _("Enter a nine-character ONS code: a letter "
                                                         "E, W, S or N, then eight digits, e.g. "
                                                         "E04012345."))],
        help_text=_("The Office for National Statistics code for the area, e.g. E04012345 for a "
                    "civil parish. Used by councils and agencies that read the open data."))

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("communities")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:community", kwargs={"slug": self.slug})

    @property
    def data_controller(self) -> str:
        return self.controller or self.name


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(officers=user)


class Organisation(models.Model):
    """A support body (Rural Community Council, community action body, council team)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="support_organisations", blank=True,
        verbose_name=_("support officers"),
    )
    communities = models.ManyToManyField(
        Community, related_name="organisations", blank=True, verbose_name=_("portfolio")
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portfolio:overview", kwargs={"pk": self.pk})


class CouncilTier(models.TextChoices):
    PARISH = "parish", _("Parish or town council")
    DISTRICT = "district", _("District or borough council")
    COUNTY = "county", _("County council")
    UNITARY = "unitary", _("Unitary authority")
    NATIONAL_PARK = "national_park", _("National park authority")


class CouncillorProfile(models.Model):
    """An elected member: which council, which ward or division, which communities they cover."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="councillor_profile"
    )
    tier = models.CharField(_("tier"), max_length=20, choices=CouncilTier.choices)
    council_name = models.CharField(_("council"), max_length=200)
    ward = models.CharField(_("ward or division"), max_length=200, blank=True)
    communities = models.ManyToManyField(
        Community, related_name="councillors", blank=True, verbose_name=_("communities covered")
    )

    class Meta:
        ordering = ["tier", "user__full_name"]

    def __str__(self):
        return f"Cllr {self.user} ({self.get_tier_display()}, {self.council_name})"

    @property
    def short_name(self) -> str:
        return f"Cllr {self.user}"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True,
                           expires_at__gt=timezone.now())

    def unsent(self):
        return self.pending().filter(sent_at__isnull=True)

    def waiting_for(self, user):
        """Pending invitations to `user`'s address, only once they have proved they own it: anyone
        can sign up with someone else's address while verification is optional."""
        from allauth.account.models import EmailAddress

        owns = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
        return self.pending().filter(email__iexact=user.email) if owns.exists() else self.none()


def _new_nonce() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A single-use, expiring invitation by email to take up a role.

    The role is carried by `kind` (registered in clp.invitations by the app that owns it) and
    `target_id`. The link's token is signed with the secret key over the id and a random nonce,
    so a worker can rebuild it to send the email, and rotating the nonce kills an old link.
    """

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("their name"), max_length=150, blank=True)
    kind = models.CharField(max_length=40)
    role = models.CharField(max_length=40, blank=True)
    target_id = models.PositiveBigIntegerField()
    detail = models.JSONField(default=dict, blank=True)
    message = models.TextField(_("personal message"), blank=True)
    nonce = models.CharField(max_length=40, default=_new_nonce, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(null=True, editable=False)  # clp.outbox claim
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "target_id"])]

    def __str__(self):
        return f"Invitation for {self.email} ({self.kind} {self.role})"

    def get_absolute_url(self):
        return reverse("invitation_accept", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        return signing.dumps([self.pk, self.nonce], salt="clp.invitation", compress=True)

    @classmethod
    def find_by_token(cls, token: str):
        try:
            pk, nonce = signing.loads(token, salt="clp.invitation")
        except (signing.BadSignature, ValueError, TypeError):
            return None
        invitation = cls.objects.filter(pk=pk).first()
        if invitation is None or not constant_time_compare(invitation.nonce, str(nonce)):
            return None
        return invitation

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def is_usable(self) -> bool:
        return self.status == "pending"


# --- reminders (see clp/reminders.py) -----------------------------------------------------------

class Preference(models.TextChoices):
    IMMEDIATE = "immediate", _("Email me straight away")
    WEEKLY = "weekly", _("Put it in a weekly summary")
    OFF = "off", _("Do not email me about this")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class Recipient(models.Model):
    """Someone reminders go to: a user, or a person known only by an email address (an action
    lead without an account). Keyed by the normalised address; holds their per-kind choices."""

    email = models.EmailField(_("email address"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="reminder_recipients")
    preferences = models.JSONField(default=dict, blank=True)
    # Rotating the nonce makes every link sent earlier stop working.
    nonce = models.CharField(max_length=40, default=_new_nonce, editable=False)
    weekly_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return str(self.user) if self.user_id else self.email

    def preference(self, kind) -> str:
        """This person's choice for a reminder kind, or the kind's default."""
        return self.preferences.get(kind.key, kind.default)


class ReminderStatus(models.TextChoices):
    DUE = "due", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")
    SKIPPED = "skipped", _("Not sent: turned off by the person")


class ReminderQuerySet(models.QuerySet):
    def for_user(self, user):
        """The reminders addressed to this signed-in person (by account or by address)."""
        return self.filter(Q(recipient__user=user) | Q(recipient__email=normalise_email(user.email)))


class Reminder(models.Model):
    """One row of the send ledger: one reminder of one kind to one person about one subject for
    one period. The unique constraint is what makes a sweep or task run twice send one email."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=40)
    subject_key = models.CharField(max_length=120)
    period = models.CharField(max_length=40)
    # Where it belongs, for the chair's and the support officer's ledger pages (plans is a later
    # app, so the plan is kept by id).
    community = models.ForeignKey(Community, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="+")
    plan_id = models.PositiveBigIntegerField(null=True, blank=True)
    context = models.JSONField(default=dict)  # title, detail, url, why: what the email says
    status = models.CharField(max_length=10, choices=ReminderStatus.choices,
                              default=ReminderStatus.DUE)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    batch = models.UUIDField(null=True, blank=True, editable=False)  # the email it went out in
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["recipient", "kind", "subject_key", "period"], name="one_reminder_per_period")]
        indexes = [models.Index(fields=["status", "recipient"]),
                   models.Index(fields=["plan_id", "created_at"]),
                   models.Index(fields=["community", "created_at"])]

    def __str__(self):
        return f"{self.kind} to {self.recipient_id} about {self.subject_key} ({self.period})"

    @property
    def title(self) -> str:
        return self.context.get("title", "")

    @property
    def url(self) -> str:
        return self.context.get("url", "")

    @property
    def kind_label(self) -> str:
        from clp import reminders

        kind = reminders.get_kind(self.kind)
        return str(kind.label) if kind else self.kind


# --- audit log ----------------------------------------------------------------------------------

class AuditKind(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in refused")
    REFUSED = "refused", _("Access refused")
    TRANSITION = "transition", _("Plan moved step or state")
    ENDORSEMENT = "endorsement", _("Priority endorsed or not")
    EXPORT = "export", _("Answers downloaded")
    PORTFOLIO_EXPORT = "portfolio_export", _("Portfolio downloaded")
    OWN_DATA_EXPORT = "own_data_export", _("Own data downloaded")
    PUBLICATION = "publication", _("Published or withdrawn")
    ERASURE = "erasure", _("Personal data deleted")


# Every kind that audit_download writes: one row per download of data, whatever was downloaded.
DOWNLOAD_KINDS = (AuditKind.EXPORT, AuditKind.PORTFOLIO_EXPORT, AuditKind.OWN_DATA_EXPORT)


class AuditEvent(models.Model):
    """One security-relevant event, for the site admin. Never holds answers, codes or tokens:
    `summary` is written by our own code from ids and titles, never from what someone typed."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    target = models.CharField(max_length=100, blank=True)  # "app.model:pk"
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """The last time a periodic task ran, one row per name: the health page reads the beat's."""

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
