"""Demo data for the core: a county's communities, a support organisation, people of each role."""

from functools import cache

from django.contrib.auth.hashers import make_password

from clp.models import Community, CommunityKind, CouncillorProfile, CouncilTier, Organisation, User

DEMO_PASSWORD = "demo-pass-2026"
COUNTY = "Downshire"
DISTRICT = "Meonbridge District"

COMMUNITIES = [
    # name, slug, kind, population, households
    ("Ashcombe", "ashcombe", CommunityKind.PARISH, 420, 190),
    ("Dunsfold St Mary", "dunsfold-st-mary", CommunityKind.PARISH, 860, 370),
    ("Fordingbridge Heath", "fordingbridge-heath", CommunityKind.VILLAGE, 2300, 990),
    ("Bramley Green", "bramley-green", CommunityKind.VILLAGE, 1250, 540),
    ("Cheriton Market", "cheriton-market", CommunityKind.TOWN, 6800, 2950),
    ("Eastfield Ward", "eastfield-ward", CommunityKind.WARD, 4100, 1800),
    ("Kingsley Vale", "kingsley-vale", CommunityKind.PARISH, 980, 430),
]


@cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; demo accounts share one hash so seeding stays quick.
    return make_password(DEMO_PASSWORD)


def user(context: dict, email: str, name: str, role: str | None = None, **extra) -> User:
    person, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "password": _demo_password_hash(), **extra}
    )
    if role:
        context.setdefault("logins", []).append((role, email, name))
    return person


def seed(context: dict) -> None:
    communities = {}
    for name, slug, kind, population, households in COMMUNITIES:
        communities[slug], _ = Community.objects.get_or_create(slug=slug, defaults={
            "name": name, "kind": kind, "district": DISTRICT, "county": COUNTY,
            "population": population, "households": households,
        })
    context["communities"] = communities

    user(context, "admin@example.org", "Alex Admin", "Site admin", is_staff=True, is_superuser=True)
    officer = user(context, "officer@example.org", "Sarah Patel", "Support officer")
    organisation, _ = Organisation.objects.get_or_create(name="Downshire Community Action")
    organisation.officers.add(officer)
    organisation.communities.add(*communities.values())
    context["officer"] = officer
    context["organisation"] = organisation

    councillors = {}
    for email, name, tier, council, ward, slugs, role in [
        ("councillor@example.org", "Peter Hughes", CouncilTier.PARISH,
         "Bramley Green Parish Council", "", ["bramley-green"], "Councillor (parish)"),
        ("district.cllr@example.org", "Anita Rao", CouncilTier.DISTRICT,
         "Meonbridge District Council", "Bramley and Ashcombe", ["bramley-green", "ashcombe"],
         "Councillor (district)"),
        ("county.cllr@example.org", "James Whitlock", CouncilTier.COUNTY,
         "Downshire County Council", "Meon Valley", list(communities), "Councillor (county)"),
    ]:
        person = user(context, email, name, role)
        profile, _ = CouncillorProfile.objects.get_or_create(
            user=person, defaults={"tier": tier, "council_name": council, "ward": ward}
        )
        profile.communities.add(*(communities[s] for s in slugs))
        councillors[tier] = profile
    context["councillors"] = councillors
    context["resident"] = user(context, "resident@example.org", "Rosa Martin", "Resident")
