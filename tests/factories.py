from datetime import timedelta

import factory
from django.utils import timezone

from clp.models import Community, CouncillorProfile, CouncilTier, Invitation, Organisation, User
from plans.models import EvidenceItem, Meeting, MeetingKind, Membership, Milestone, Plan, Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Little Wicket {n}")
    slug = factory.Sequence(lambda n: f"little-wicket-{n}")
    district = "Meonbridge District"
    county = "Downshire"
    population = 1200
    households = 520


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Action {n}")


class CouncillorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncillorProfile

    user = factory.SubFactory(UserFactory)
    tier = CouncilTier.DISTRICT
    council_name = "Meonbridge District Council"
    ward = "Wicket Ward"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    community = factory.SubFactory(CommunityFactory)
    title = factory.LazyAttribute(lambda p: f"{p.community.name} Community Plan")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    plan = factory.SubFactory(PlanFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    target_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    plan = factory.SubFactory(PlanFactory)
    title = "Open meeting"
    kind = MeetingKind.OPEN_MEETING
    date = factory.LazyFunction(timezone.localdate)
    attendance = 40


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceItem

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Evidence {n}")
    kind = "report"
    link = "https://example.org/report.pdf"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    kind = "steering"
    role = Role.MEMBER
    target_id = factory.LazyAttribute(lambda i: PlanFactory().pk)
    expires_at = factory.LazyFunction(Invitation.default_expiry)
