"""What every consultation service shares: refusals with a reason, and the plan's history."""

from clp.exceptions import Refused
from clp.models import User
from consultation.models import Question, Response, Survey
from plans import services as plan_services
from plans.models import EventKind

MILESTONES = [1, 50, 100, 250, 500, 1000, 2000, 5000]
OTHER_LABEL = "Other, please say"


class CodeRefused(Refused):
    pass


class DuplicateCode(Refused):
    def __init__(self, message: str, existing: Response | None):
        super().__init__(message)
        self.existing = existing


class Incomplete(Refused):
    def __init__(self, message: str, missing: list[Question]):
        super().__init__(message)
        self.missing = missing


def record_event(survey: Survey, actor: User | None, summary: str, reason: str = "") -> None:
    plan_services.record(survey.plan, actor, EventKind.CONTENT, summary, reason=reason)
