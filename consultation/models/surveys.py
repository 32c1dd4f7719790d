"""Surveys, their questions, and residents' answers.

Answers are stored one row per (response, question[, chosen option]) with typed columns, so the
analysis can count and cross-tabulate in the database: a choice is an `option` (and, for a
demographic question, the plan-level `category`), a rating or rank is `number`, free text is
`text`. Only submitted responses count; drafts hold a resident's partial answers.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from plans.models import Plan

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to type from paper
CODE_LENGTH = 10  # 31 ** 10 ≈ 2 ** 49.5: guessing one of a thousand codes takes ~10^12 tries


def new_public_id() -> str:
    return secrets.token_urlsafe(9)


def new_resume_token() -> str:
    return secrets.token_urlsafe(24)


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def code_digest(text: str) -> str:
    """The keyed hash a one-time code is stored as: the database never holds the code itself."""
    key = (settings.CONSULTATION_CODE_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, normalise_code(text).encode(), hashlib.sha256).hexdigest()


def display_code(text: str) -> str:
    """A code as printed: two groups of letters and numbers, e.g. ABCDE-23456."""
    code = normalise_code(text)
    half = (len(code) + 1) // 2
    return f"{code[:half]}-{code[half:]}"


# --- demographic dimensions (plan level, shared by every survey of the plan) -------------------

class DimensionKind(models.TextChoices):
    AGE = "age", _("Age band")
    CONNECTION = "connection", _("Connection to the area")
    AREA = "area", _("Area of the parish")
    DISABILITY = "disability", _("Disability")
    HOUSEHOLD = "household", _("Household type")
    ETHNICITY = "ethnicity", _("Ethnicity")
    GENDER = "gender", _("Gender")


class Dimension(models.Model):
    """A way of grouping respondents (e.g. age band) that results can be broken down by."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="dimensions")
    kind = models.CharField(_("kind"), max_length=20, choices=DimensionKind.choices)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="one_dimension_per_kind")]

    def __str__(self):
        return self.get_kind_display()

    @property
    def allows_several(self) -> bool:
        # People can live, work and study here at once; every other dimension is one answer.
        return self.kind == DimensionKind.CONNECTION


class DimensionCategory(models.Model):
    """One group within a dimension, e.g. "65 to 74"; "Prefer not to say" is a category too."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="categories")
    label = models.CharField(_("label"), max_length=120)
    position = models.PositiveIntegerField(default=0)
    is_prefer_not_to_say = models.BooleanField(default=False)
    # No longer offered in new surveys, and never shown once nobody has answered with it.
    retired = models.BooleanField(_("retired"), default=False)
    # A census band counted in one of the plan's own wider bands (e.g. "35 to 44" in "35–64").
    part_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="parts", verbose_name=_("counted in"))

    class Meta:
        ordering = ["dimension", "position", "pk"]
        verbose_name_plural = _("dimension categories")

    def __str__(self):
        return self.label


# --- surveys ------------------------------------------------------------------------------------

class SurveyKind(models.TextChoices):
    OPEN_ROUND = "open", _("Open round: find the issues")
    PRIORITIES = "priorities", _("Priorities round: rate or rank the issues")
    OTHER = "other", _("Other")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AccessMode(models.TextChoices):
    LINK = "link", _("Anyone with the link")
    CODES = "codes", _("Only with a one-time code")
    BOTH = "both", _("The link, or a one-time code")


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(plan__in=Plan.objects.visible_to(user))

    def with_response_counts(self):
        return self.annotate(
            response_count=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED))
        )

    def accepting(self):
        """Open surveys a resident may answer today (the public pages use only these)."""
        today = timezone.localdate()
        return self.filter(status=SurveyStatus.OPEN).filter(
            Q(opens_on__isnull=True) | Q(opens_on__lte=today),
            Q(closes_on__isnull=True) | Q(closes_on__gte=today),
        )


class Survey(models.Model):
    """A questionnaire of a plan: drafted by the group, opened to residents, then closed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of survey"), max_length=20, choices=SurveyKind.choices,
                            default=SurveyKind.OPEN_ROUND)
    intro = models.TextField(_("introduction"), blank=True,
                             help_text=_("Shown to residents before they start."))
    status = FSMField(default=SurveyStatus.DRAFT, choices=SurveyStatus.choices)
    access = models.CharField(_("who can answer"), max_length=10, choices=AccessMode.choices,
                              default=AccessMode.LINK)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    run_by = models.CharField(
        _("who runs the survey"), max_length=200, blank=True,
        help_text=_("Shown in the privacy notice, e.g. “Bramley Green Community Plan steering "
                    "group, on behalf of the parish council”."),
    )
    contact = models.CharField(_("contact for questions about the survey"), max_length=200,
                               blank=True)
    retention = models.CharField(
        _("how long answers are kept"), max_length=200,
        default=_("until the community plan is published, and no longer than two years"),
    )
    public_id = models.CharField(max_length=20, unique=True, default=new_public_id, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    milestone_notified = models.PositiveIntegerField(default=0, editable=False)
    milestone_sending_since = models.DateTimeField(null=True, editable=False)  # clp.outbox claim
    # The last number given to a sent response (numbers are never reused, even after a deletion).
    last_response_number = models.PositiveIntegerField(default=0, editable=False)
    results_published = models.BooleanField(
        _("results published"), default=False, editable=False,
        help_text=_("Results (with small numbers hidden) are on the community's public page."))
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False, help_text=_(
        "When the retention period ended: free text replaced, codes and imported files deleted."))

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultation:survey", kwargs={"pk": self.plan_id, "sid": self.pk})

    def get_public_url(self):
        return reverse("consultation:public_start", kwargs={"public_id": self.public_id})

    # --- transitions: the only code that writes `status` ---------------------------------------
    @transition(field=status, source=[SurveyStatus.DRAFT, SurveyStatus.CLOSED],
                target=SurveyStatus.OPEN)
    def open(self):
        self.opened_at = self.opened_at or timezone.now()
        self.closed_at = None

    @transition(field=status, source=SurveyStatus.OPEN, target=SurveyStatus.CLOSED)
    def close(self):
        self.closed_at = timezone.now()

    # --- derived -------------------------------------------------------------------------------
    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT

    @property
    def is_accepting(self) -> bool:
        today = timezone.localdate()
        return (self.status == SurveyStatus.OPEN
                and (self.opens_on is None or self.opens_on <= today)
                and (self.closes_on is None or self.closes_on >= today))

    @property
    def uses_codes(self) -> bool:
        return self.access in (AccessMode.CODES, AccessMode.BOTH)

    @property
    def uses_link(self) -> bool:
        return self.access in (AccessMode.LINK, AccessMode.BOTH)

    def ordered_questions(self) -> list:
        """Every question in page order, with what answering and exporting them needs."""
        return list(self.questions.select_related("section", "dimension")
                    .prefetch_related("options").order_by("section__position", "section_id",
                                                          "position", "pk"))

    def has_responses(self) -> bool:
        return self.responses.filter(status=ResponseStatus.SUBMITTED).exists()


class Section(models.Model):
    """A page of the survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("page title"), max_length=200)
    intro = models.TextField(_("introduction to this page"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["survey", "position", "pk"]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating scale")
    RANKING = "ranking", _("Ranking")
    YES_NO = "yes_no", _("Yes or no")
    LOVE_HATE = "love_hate", _("What you love and hate about where you live")
    DEMOGRAPHIC = "demographic", _("About you (demographic)")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING,
                QuestionKind.DEMOGRAPHIC}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT, QuestionKind.LOVE_HATE}


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("type of question"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True,
                                 help_text=_("Shown under the question, e.g. “Tick all that apply”."))
    required = models.BooleanField(_("an answer is required"), default=False)
    position = models.PositiveIntegerField(default=0)
    allow_other = models.BooleanField(_("add “Other, please say”"), default=False)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    scale_min_label = models.CharField(_("label for the lowest score"), max_length=60, blank=True)
    scale_max_label = models.CharField(_("label for the highest score"), max_length=60, blank=True)
    dimension = models.ForeignKey(Dimension, on_delete=models.RESTRICT, null=True, blank=True,
                                  related_name="questions")
    # A priorities-round question asks about one issue of the register; its ratings flow back.
    issue = models.ForeignKey("consultation.Issue", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="priority_questions", editable=False)
    # Copied from an organisation's question bank: its answers are compared across the portfolio.
    standard = models.ForeignKey("consultation.StandardQuestion", on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="copies", editable=False)

    class Meta:
        ordering = ["survey", "section__position", "position", "pk"]

    def __str__(self):
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def allows_several(self) -> bool:
        if self.kind == QuestionKind.DEMOGRAPHIC:
            return self.dimension is not None and self.dimension.allows_several
        return self.kind == QuestionKind.MULTIPLE

    @property
    def offers_other(self) -> bool:
        return self.allow_other and self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

    def scale(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Option(models.Model):
    """A choice of a question; for a demographic question it stands for a plan-level category."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveIntegerField(default=0)
    is_other = models.BooleanField(default=False)
    category = models.ForeignKey(DimensionCategory, on_delete=models.RESTRICT, null=True, blank=True,
                                 related_name="options")

    class Meta:
        ordering = ["question", "is_other", "position", "pk"]

    def __str__(self):
        return self.label


# --- the shared question bank -------------------------------------------------------------------

class StandardQuestion(models.Model):
    """A question a support organisation keeps for its parishes' surveys, with its answers (and,
    for an "About you" question, its groups). A parish's copy is a `Question` linked back by
    `Question.standard`, so the answers can be compared across the portfolio."""

    organisation = models.ForeignKey("clp.Organisation", on_delete=models.CASCADE,
                                     related_name="standard_questions")
    kind = models.CharField(_("type of question"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True,
                                 help_text=_("Shown under the question, e.g. “Tick all that apply”."))
    required = models.BooleanField(_("an answer is required"), default=False)
    allow_other = models.BooleanField(_("add “Other, please say”"), default=False)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    scale_min_label = models.CharField(_("label for the lowest score"), max_length=60, blank=True)
    scale_max_label = models.CharField(_("label for the highest score"), max_length=60, blank=True)
    dimension_kind = models.CharField(_("what to ask about"), max_length=20, blank=True,
                                      choices=DimensionKind.choices)
    options = models.JSONField(default=list, blank=True)  # the choices' (or groups') labels
    # No longer offered to parishes; surveys that ask it keep it, and it can still be compared.
    retired = models.BooleanField(_("no longer offered"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "text", "pk"]

    def __str__(self):
        return self.text

    def question_fields(self) -> dict:
        """What a survey's copy is made with (consultation.services.standard_question_add)."""
        return {"text": self.text, "help_text": self.help_text, "required": self.required,
                "allow_other": self.allow_other, "scale_min": self.scale_min,
                "scale_max": self.scale_max, "scale_min_label": self.scale_min_label,
                "scale_max_label": self.scale_max_label}


# --- one-time codes -----------------------------------------------------------------------------

class AccessCode(models.Model):
    """A code printed on a leaflet: lets one household or person answer once.

    Only a keyed hash of the code is stored (like a password), so the codes can be shown once,
    when they are made, and never read back from the database.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    batch = models.CharField(_("batch"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "digest"], name="code_unique_in_survey")]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        """What volunteers see of a code once it is made: its batch, never the code."""
        return _("a code from “%(batch)s”") % {"batch": self.batch} if self.batch else _("a one-time code")

    @property
    def is_used(self) -> bool:
        return self.used_at is not None


# --- responses and answers ----------------------------------------------------------------------

class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper form")
    INTERVIEW = "interview", _("Interview or home visit")
    EVENT = "event", _("At an event")
    YOUTH_FORUM = "youth_forum", _("Youth forum")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Not yet sent")
    SUBMITTED = "submitted", _("Sent")


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=ResponseStatus.SUBMITTED)


class Response(models.Model):
    """One person's or household's answers to a survey, however they reached us.

    Respondents are anonymous: no name, no IP address. `client_key` is a salted hash used only to
    spot the same device sending identical answers over and over.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    status = models.CharField(max_length=10, choices=ResponseStatus.choices,
                              default=ResponseStatus.DRAFT)
    channel = models.CharField(_("how it reached us"), max_length=20, choices=Channel.choices,
                               default=Channel.ONLINE)
    code = models.OneToOneField(AccessCode, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="response")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    import_batch = models.ForeignKey("ImportBatch", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="responses")
    resume_token = models.CharField(max_length=40, default=new_resume_token, unique=True,
                                    editable=False)
    client_key = models.CharField(max_length=64, blank=True, editable=False)
    answers_digest = models.CharField(max_length=64, blank=True, editable=False)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The survey's own count: "Response 12" of this survey, given when the answers are sent.
    number = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"],
                                               name="one_response_number_per_survey")]
        indexes = [
            models.Index(fields=["survey", "status", "channel"]),
            models.Index(fields=["survey", "status", "submitted_at"]),
            models.Index(fields=["survey", "client_key", "submitted_at"]),
        ]

    def __str__(self):
        return f"Response {self.number or '(not sent)'}"

    def get_absolute_url(self):
        return reverse("consultation:response", kwargs={
            "pk": self.survey.plan_id, "sid": self.survey_id, "rid": self.pk})

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED

    @staticmethod
    def take_numbers(survey_id: int, count: int = 1) -> range:
        """The next `count` response numbers of a survey. The UPDATE holds the survey's row until
        the transaction ends, so two volunteers saving at once never get the same number."""
        last, _status, _notified = Response._take(survey_id, count)
        return range(last - count + 1, last + 1)

    @staticmethod
    def take_number_and_state(survey_id: int) -> tuple[int, str, int]:
        """The next response number, with the survey's status and the last milestone notified as
        they stand under the row lock the UPDATE takes (a survey closed a moment ago is seen)."""
        return Response._take(survey_id, 1)

    @staticmethod
    def _take(survey_id: int, count: int) -> tuple[int, str, int]:
        table = Survey._meta.db_table
        if connection.vendor == "sqlite" and connection.Database.sqlite_version_info < (3, 35):
            Survey.objects.filter(pk=survey_id).update(
                last_response_number=models.F("last_response_number") + count)
            return Survey.objects.filter(pk=survey_id).values_list(
                "last_response_number", "status", "milestone_notified").get()
        with connection.cursor() as cursor:  # one round trip: UPDATE … RETURNING
            cursor.execute(f"UPDATE {table} SET last_response_number = last_response_number + %s "  # noqa: S608
                           "WHERE id = %s RETURNING last_response_number, status, milestone_notified",
                           [count, survey_id])
            row = cursor.fetchone()
        if row is None:
            raise Survey.DoesNotExist(survey_id)
        return tuple(row)

    @property
    def receipt(self) -> str:
        """The number shown to the resident once sent, with check letters so that nobody can ask
        for someone else's response to be deleted by guessing numbers."""
        return f"{self.pk}-{receipt_check(self.pk)}"


def receipt_check(number: int) -> str:
    return salted_hmac("consultation.receipt", str(number), algorithm="sha256").hexdigest()[:6].upper()


def parse_receipt(text: str) -> int | None:
    """The response number in a receipt typed back to us, or None when its check letters are wrong."""
    number, _dash, check = text.strip().upper().replace(" ", "").partition("-")
    if not number.isdigit() or not constant_time_compare(check, receipt_check(int(number))):
        return None
    return int(number)


# What a resident's own words become once their survey's retention period has ended.
ANONYMISED_TEXT = "(removed after the retention period)"


class AnswerPart(models.TextChoices):
    LOVE = "love", _("What you love")
    HATE = "hate", _("What you would change")


class Answer(models.Model):
    """One answer: one row per chosen option for multiple choice and ranking."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(Option, on_delete=models.RESTRICT, null=True, blank=True,
                               related_name="answers")
    category = models.ForeignKey(DimensionCategory, on_delete=models.RESTRICT, null=True,
                                 blank=True, related_name="answers")
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    part = models.CharField(max_length=10, choices=AnswerPart.choices, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["question", "option"]),
            models.Index(fields=["question", "number"]),
            models.Index(fields=["category", "response"]),
            models.Index(fields=["response", "question"]),
            # The coding queue walks the answers with text in the order they reached us; most
            # answers are ticks with no text, so this index holds only the ones with words and a
            # page reads about a page of rows whatever the survey's size (bench/README.md).
            models.Index(fields=["id"], condition=~models.Q(text=""), name="answer_with_text"),
        ]

    def __str__(self):
        return f"Answer to {self.question_id}"


class ResponseDeletion(models.Model):
    """The audit record of a deleted response: who, when and why; never its answers."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="deletions")
    response_number = models.PositiveBigIntegerField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    submitted_at = models.DateTimeField(null=True)
    reason = models.TextField()
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-deleted_at"]

    def __str__(self):
        return f"Response {self.response_number} deleted"


class DeletionRequest(models.Model):
    """A resident's request, by the receipt number they were shown, that the group delete their
    response. It is done when the response has gone (deleted through `response_delete`)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="deletion_requests")
    response = models.OneToOneField(Response, on_delete=models.SET_NULL, null=True,
                                    related_name="deletion_request")
    receipt = models.CharField(max_length=30)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self):
        return f"Request to delete {self.receipt}"


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked")
    QUEUED = "queued", _("Waiting to be imported")
    IMPORTING = "importing", _("Being imported")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportBatch(models.Model):
    """An uploaded CSV of paper returns: checked in full, then imported all at once or not at all.

    A large file is imported in the background: the row is the record of that work (queued, then
    claimed by a task as importing, then done or failed with the reason), and a sweep re-queues
    rows whose message was lost or whose worker died."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=255)
    content = models.TextField()
    channel = models.CharField(_("how these answers reached us"), max_length=20,
                               choices=Channel.choices, default=Channel.PAPER)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_count = models.PositiveIntegerField(default=0)
    # The result of checking the file once, on upload: what the preview shows (None: not checked).
    row_count = models.PositiveIntegerField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.CHECKED)
    error = models.TextField(blank=True)  # why a background import failed, in plain English
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self):
        return self.filename

    @property
    def is_waiting(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.IMPORTING)

