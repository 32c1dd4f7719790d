"""Who the steering group represents: ticked groups, and the group a champion's theme names."""

from django.urls import reverse

from plans.models import Role
from plans.steps import CommunityGroup
from tests import factories


def _gaps(page: str) -> str:
    """The members page's "Nobody on the group represents" warning."""
    marker = "Nobody on the group represents:"
    if marker not in page:
        return ""
    start = page.index(marker)
    return page[start:page.index("</div>", start)]


def test_a_champion_for_young_people_represents_young_people(world):
    plan = world.plan
    url = reverse("plans:members", args=[plan.pk])
    assert "Young people" in _gaps(world.client("chair").get(url).text)
    membership = factories.MembershipFactory(plan=plan, user=factories.UserFactory(),
                                             role=Role.CHAMPION, theme="Young people")
    assert membership.represents == []  # nobody ticked the box
    assert CommunityGroup.YOUNG_PEOPLE in membership.groups_represented()
    page = world.client("chair").get(url).text
    assert "Young people" not in _gaps(page)
    assert "Older people" in _gaps(page)


def test_a_member_whose_theme_mentions_young_people_is_not_a_champion_for_them(world):
    membership = factories.MembershipFactory(plan=world.plan, user=factories.UserFactory(),
                                             role=Role.MEMBER, theme="young people")
    assert membership.groups_represented() == []
