from datetime import timedelta

import factory
from django.utils import timezone

from actions.models import Action, Priority, Section
from tests.factories import PlanFactory


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    why = "Raised by 212 of 460 households in the questionnaire."
    section = Section.COMMUNITY
    rank = factory.Sequence(lambda n: n + 1)


class ActionFactory(factory.django.DjangoModelFactory):
    """A SMART action: outcome, measure, lead, date and (for section 2) a partner."""

    class Meta:
        model = Action

    priority = factory.SubFactory(PriorityFactory)
    what = factory.Sequence(lambda n: f"Action {n}")
    outcome = "Fewer cars speeding past the school"
    measure = "Average speed under 30 mph in the police survey"
    lead_name = "Jo Volunteer"
    lead_contact = "07700 900123"
    partners = "Meonbridge District Council"
    target_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=120))
    position = factory.Sequence(lambda n: n + 1)
