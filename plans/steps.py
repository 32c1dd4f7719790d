"""The nine ACRE steps, grouped as LEAD. Plain data so every app can read it without models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    GETTING_STARTED = "getting_started", _("Getting started")
    STEERING_GROUP = "steering_group", _("Establishing the steering group")
    TAKING_STOCK = "taking_stock", _("Taking stock and planning ahead")
    UNDERSTANDING = "understanding", _("Understanding your community")
    PRIORITISING = "prioritising", _("Prioritising and planning action")
    DRAFTING = "drafting", _("Drafting your plan")
    FINALISING = "finalising", _("Finalising your plan")
    IMPLEMENTING = "implementing", _("Implementing and monitoring actions")
    REVIEWING = "reviewing", _("Reviewing your plan")


class Stage(models.TextChoices):
    LAUNCH = "launch", _("Launch")
    EVIDENCE = "evidence", _("Evidence")
    AGREE = "agree", _("Agree")
    DELIVER = "deliver", _("Deliver")


ORDER: list[str] = [s.value for s in Step]
STAGE_OF: dict[str, str] = {
    Step.GETTING_STARTED: Stage.LAUNCH,
    Step.STEERING_GROUP: Stage.LAUNCH,
    Step.TAKING_STOCK: Stage.LAUNCH,
    Step.UNDERSTANDING: Stage.EVIDENCE,
    Step.PRIORITISING: Stage.AGREE,
    Step.DRAFTING: Stage.AGREE,
    Step.FINALISING: Stage.AGREE,
    Step.IMPLEMENTING: Stage.DELIVER,
    Step.REVIEWING: Stage.DELIVER,
}
REVIEW_RESTART_STEPS = [Step.UNDERSTANDING.value, Step.PRIORITISING.value]


def number(step: str) -> int:
    return ORDER.index(step) + 1


def next_step(step: str) -> str | None:
    i = ORDER.index(step)
    return ORDER[i + 1] if i + 1 < len(ORDER) else None


def earlier_steps(step: str) -> list[str]:
    return ORDER[: ORDER.index(step)]


class CommunityGroup(models.TextChoices):
    """Groups a representative process must reach (Hampshire checklist)."""

    YOUNG_PEOPLE = "young_people", _("Young people")
    FAMILIES = "families", _("Families with children")
    OLDER_PEOPLE = "older_people", _("Older people")
    DISABLED_PEOPLE = "disabled_people", _("Disabled people")
    BUSINESSES = "businesses", _("Local businesses")
    COMMUNITY_GROUPS = "community_groups", _("Community groups and clubs")
    MINORITY_ETHNIC = "minority_ethnic", _("Minority ethnic groups")
    OUTLYING = "outlying", _("Outlying streets and hamlets")
