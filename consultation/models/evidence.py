"""Models for the Evidence analysis: population baselines, themes and coding, the issues register,
representation reviews and free text approved for publication."""

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultation.models.surveys import Answer, Dimension, DimensionCategory, Question, Survey
from plans.models import EvidenceItem, Meeting, Plan


class PopulationBaseline(models.Model):
    """How the community's population splits across one dimension (e.g. Census age bands)."""

    dimension = models.OneToOneField(Dimension, on_delete=models.CASCADE, related_name="baseline")
    source = models.CharField(_("source"), max_length=200,
                              help_text=_("For example “Census 2021, table TS007 (age)”."))
    year = models.PositiveSmallIntegerField(_("year"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.dimension}: {self.source} ({self.year})"


class BaselineFigure(models.Model):
    baseline = models.ForeignKey(PopulationBaseline, on_delete=models.CASCADE, related_name="figures")
    category = models.ForeignKey(DimensionCategory, on_delete=models.CASCADE, related_name="figures")
    count = models.PositiveIntegerField(_("number of people"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["baseline", "category"],
                                               name="one_figure_per_category")]

    def __str__(self):
        return f"{self.category}: {self.count}"


STARTER_THEMES = [
    ("Housing", "housing, houses, homes, affordable, rent, development, building"),
    ("Transport and roads", "traffic, speeding, speed, bus, buses, road, roads, parking, potholes, "
                            "pavement, cycle, footpath"),
    ("Environment", "litter, trees, green, wildlife, flooding, dog mess, recycling, countryside"),
    ("Community facilities", "hall, shop, pub, library, playground, park, post office, toilets"),
    ("Young people", "young, youth, teenagers, children, kids, school, club"),
    ("Older people", "older, elderly, lonely, isolation, care, pensioners"),
    ("Health and care", "doctor, gp, surgery, health, pharmacy, dentist, care"),
    ("Local economy", "jobs, business, work, broadband, shops, market"),
    ("Crime and safety", "crime, police, safety, safe, lighting, antisocial, burglary"),
    ("Communications", "newsletter, website, information, notice, facebook, know what's going on"),
]


class Theme(models.Model):
    """A topic free-text answers are coded under (housing, transport …), editable per plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("theme"), max_length=100)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True,
        help_text=_("Words that suggest this theme, separated by commas, e.g. traffic, speeding, bus."))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="theme_name_unique_in_plan")]

    def __str__(self):
        return self.name

    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class AnswerCoding(models.Model):
    """One free-text answer placed under one theme by a volunteer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="codings")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="codings")
    coded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 related_name="+")
    coded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "theme"], name="one_coding_per_theme")]
        indexes = [models.Index(fields=["theme", "answer"])]

    def __str__(self):
        return f"{self.answer_id} → {self.theme}"


class IssueQuerySet(models.QuerySet):
    def with_support(self):
        """Respondents who raised each issue, counted in the database."""
        return self.annotate(support=Count("answers__response", distinct=True))


class Issue(models.Model):
    """A distinct local problem or aspiration the evidence shows (not a solution)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(_("the issue in a few words"), max_length=200,
                             help_text=_("For example “Speeding on the A30 through the village”."))
    description = models.TextField(_("what is the problem"), help_text=_(
        "Describe the problem or hope, not a solution: solutions come in the action plan."))
    who_affected = models.CharField(_("who it affects"), max_length=300, blank=True)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="issues", verbose_name=_("theme"))
    answers = models.ManyToManyField(Answer, blank=True, related_name="issues")
    questions = models.ManyToManyField(Question, blank=True, related_name="issues_evidenced")
    evidence_items = models.ManyToManyField(EvidenceItem, blank=True, related_name="issues",
                                            verbose_name=_("evidence library items"))
    meetings = models.ManyToManyField(Meeting, blank=True, related_name="issues",
                                      verbose_name=_("meetings and events"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultation:issue", kwargs={"pk": self.plan_id, "iid": self.pk})


class RepresentationReview(models.Model):
    """A volunteer's record that the group has looked at who has and has not been heard."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="representation_reviews")
    survey = models.ForeignKey(Survey, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="representation_reviews")
    note = models.TextField(_("what the group will do about it"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self):
        return f"Reviewed {self.reviewed_at:%d %b %Y}"


class PublishedText(models.Model):
    """A free-text answer approved for people outside the steering group, as redacted."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="publication")
    text = models.TextField(_("text to publish"), help_text=_(
        "Remove names, addresses, phone numbers, email addresses and anything that could identify "
        "someone."))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.text[:60]
