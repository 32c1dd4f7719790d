"""Two communities for the cross-tenant tests, and the means to tell if anything crossed between them.

Community A is the permission matrix's world (tests/test_permission_matrix.py). Community B is a
mirror of it built by the same world extenders: its own plan (chaired by the matrix's outsider),
steering group, officer, councillor, surveys, priorities, actions... so that every object id in one
of A's forms has a B counterpart of the same model to swap in.

- `fingerprint()` hashes every row of every project table (audit events and heartbeats aside, which
  record refusals and beats by design): any write shows.
- `TenantMap` knows, for every project model, the chains of foreign keys that lead it to a
  community; it hashes one community's rows, and finds rows whose chains disagree (an object of A
  pointing at an object of B).
- `post_forms()` reads every POST form of a page as a browser would submit it.
"""

import hashlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models

from clp.models import Community, CouncilTier, Invitation
from plans.models import CouncillorLink, Role
from plans.steps import Step
from tests import factories
from tests.conftest import World
from tests.factories import PASSWORD

PROJECT_APPS = ("clp", "plans", "consultation", "actions", "portfolio")
# Written on purpose by any request (a refusal is audited) or by the beat: not tenant data.
UNFINGERPRINTED = {"clp.AuditEvent", "clp.Heartbeat"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- community B ---------------------------------------------------------------------------------

def build_mirror(a: World) -> World:
    """Community B, built like A: the outsider chairs its plan; its staff are people of their own."""
    from tests.permissions import WORLD_EXTENDERS

    plan = a.other_plan
    community = plan.community
    people = dict(a.people)
    people["chair"] = a.people["outsider"]
    # B's partner contact answers for B's body only. (A's far councillor covers B: B has none.)
    for persona in ("secretary", "member", "champion", "officer", "councillor", "partner_contact"):
        people[persona] = factories.UserFactory(email=f"b.{persona}@test.org",
                                                full_name=f"B {persona.title()}")
    reviewing = factories.PlanFactory(community=community, title="B old plan", step=Step.REVIEWING)
    factories.MembershipFactory(plan=reviewing, user=people["chair"], role=Role.CHAIR)
    for p in (plan, reviewing):
        for role in (Role.SECRETARY, Role.MEMBER, Role.CHAMPION):
            factories.MembershipFactory(plan=p, user=people[role.value], role=role,
                                        theme="Transport" if role == Role.CHAMPION else "")
    organisation = factories.OrganisationFactory(name="Other Action")
    organisation.officers.add(people["officer"])
    organisation.communities.add(community)
    councillor = factories.CouncillorFactory(user=people["councillor"], tier=CouncilTier.DISTRICT)
    councillor.communities.add(community)
    for p in (plan, reviewing):
        CouncillorLink.objects.create(plan=p, councillor=councillor)
    b = World(community=community, plan=plan, reviewing_plan=reviewing, organisation=organisation,
              other_plan=a.plan, people=people)
    b.membership = plan.memberships.get(role=Role.MEMBER)
    b.content = {
        "milestones": factories.MilestoneFactory(plan=plan),
        "support": plan.support_sources.create(name="B grant"),
        "meetings": factories.MeetingFactory(plan=plan),
        "evidence": factories.EvidenceFactory(
            plan=plan, file=SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf")),
    }
    b.invitation = Invitation.objects.create(
        email="b.new@test.org", kind="steering", role=Role.MEMBER, target_id=plan.pk,
        expires_at=Invitation.default_expiry())
    for extend in WORLD_EXTENDERS:
        # The core's rows add a site-wide reminder recipient (one per address) and a heartbeat:
        # nothing that belongs to a community.
        if extend.__module__ != "tests.clp.permission_rows":
            extend(b)
    return b


# --- what a page's forms would send -----------------------------------------------------------------

@dataclass
class Form:
    page: str  # the URL of the page it was on
    action: str  # where it posts (path and query)
    fields: dict  # name -> list of values, as a browser would send them
    files: dict  # name -> (filename, bytes)

    def data(self) -> dict:
        data = {k: (v if len(v) > 1 else v[0]) for k, v in self.fields.items()}
        for name, (filename, content) in self.files.items():
            data[name] = SimpleUploadedFile(filename, content)
        return data

    def key(self) -> tuple:
        return urlsplit(self.action).path, tuple(sorted(self.fields)), tuple(sorted(self.files))


FILLERS = {"email": "replay@test.org", "number": "1", "date": "2026-06-01", "time": "10:00",
           "datetime-local": "2026-06-01T10:00", "url": "https://example.org/",
           "tel": "01234 567890", "password": PASSWORD, "month": "2026-06", "color": "#000000"}


def post_forms(html: str, page_url: str) -> list[Form]:
    """Every method=post form on a page with the values a person filling it in would send: what is
    there already, the first choice where nothing is chosen, plausible text in empty boxes, a small
    file in each file input, and the first named submit button."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    found = []
    for form in doc.forms:
        if (form.get("method") or "get").lower() != "post":
            continue
        action = urljoin(page_url, form.get("action") or page_url)
        parts = urlsplit(action)
        action = parts.path + (f"?{parts.query}" if parts.query else "")
        fields: dict[str, list[str]] = {}
        files = {}
        radios: dict[str, str] = {}
        for el in form.inputs:
            name = el.get("name")
            if not name or el.get("disabled") is not None:
                continue
            if el.tag == "input":
                kind = (el.get("type") or "text").lower()
                if kind in ("submit", "image", "reset", "button"):
                    continue
                if kind == "file":
                    accept = el.get("accept") or ""
                    files[name] = (("returns.csv", b"code\n") if "csv" in accept
                                   else ("report.pdf", PDF))
                    continue
                if kind == "radio":
                    radios.setdefault(name, el.get("value", "on"))
                    if el.checked:
                        fields[name] = [el.get("value", "on")]
                    continue
                if kind == "checkbox":
                    if el.checked:
                        fields.setdefault(name, []).append(el.get("value", "on"))
                    continue
                value = el.get("value") or ""
                if not value and kind != "hidden":
                    value = FILLERS.get(kind, "Replayed text")
                    if kind == "number" and el.get("min"):
                        value = el.get("min")
                fields.setdefault(name, []).append(value)
            elif el.tag == "textarea":
                fields.setdefault(name, []).append(el.text or "Replayed text")
            elif el.tag == "select":
                options = [o for o in el.iter("option") if o.get("disabled") is None]
                chosen = [o for o in options if o.get("selected") is not None]
                if not chosen:
                    chosen = [o for o in options if (o.get("value", o.text_content()) or "")][:1]
                for option in chosen if el.multiple or not chosen else chosen[:1]:
                    fields.setdefault(name, []).append(option.get("value", option.text_content()))
        for name, value in radios.items():
            fields.setdefault(name, [value])
        for button in form.xpath(".//button|.//input[@type='submit']"):
            if button.tag == "button" and (button.get("type") or "submit").lower() != "submit":
                continue
            if button.get("name"):
                fields.setdefault(button.get("name"), [button.get("value", "")])
            break
        found.append(Form(page=page_url, action=action, fields=fields, files=files))
    return found


# --- fingerprints -------------------------------------------------------------------------------

def project_models(*, with_through: bool = True) -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=with_through)
            if m._meta.app_label in PROJECT_APPS and m._meta.label not in UNFINGERPRINTED]


def fingerprint() -> dict[str, str]:
    """Per project table: its row count and a hash of every row, in one query."""
    tables = sorted({m._meta.db_table for m in project_models()})
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT '{t}', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) "
        f"FROM {quote(t)} x" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {table: f"{count}:{digest}" for table, count, digest in cursor.fetchall()}


def changed(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before if before[t] != after[t])


def spread_ids(step: int = 1_000_000) -> None:
    """Start each project table's ids in a range of its own, so that an id in a form names one
    model only. (Sequences are not rolled back; later tests just get larger ids.)"""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for k, model in enumerate(sorted(project_models(), key=lambda m: m._meta.label), start=1):
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField | models.BigAutoField):
                continue
            table = model._meta.db_table
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [quote(table), pk.column])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute("SELECT setval(%s, %s)", [sequence, k * step])


# Objects that belong to an organisation or a person, not to a community: chains stop there.
NOT_TENANT = {"clp.User", "clp.Organisation", "clp.CouncillorProfile", "actions.RegisteredPartner",
              "clp.Recipient"}


def _chains(model, depth=0, seen=()) -> list[str]:
    """ORM lookups from `model` to a Community id along forward foreign keys."""
    if model is Community:
        return ["id"]
    if depth > 5 or model._meta.label in NOT_TENANT or model in seen:
        return []
    chains = []
    for field in model._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one) or field.related_model is None:
            continue
        if field.related_model is Community:
            chains.append(field.attname)
            continue
        for rest in _chains(field.related_model, depth + 1, (*seen, model)):
            chains.append(f"{field.name}__{rest}")
    return chains


class TenantMap:
    """Every project model that belongs to a community, and how to reach the community."""

    def __init__(self):
        self.chains = {m: c for m in project_models() if (c := _chains(m))}

    def owner_query(self, model, community_id) -> models.Q:
        q = models.Q()
        for chain in self.chains[model]:
            q |= models.Q(**{chain: community_id})
        return q

    def pks(self, community_id) -> dict[type, list]:
        return {m: sorted(m._default_manager.filter(self.owner_query(m, community_id))
                          .values_list("pk", flat=True).distinct())
                for m in self.chains}

    def of_tables(self, tables) -> list:
        return [m for m in self.chains if m._meta.db_table in tables]

    def digest(self, community_id, only=None) -> dict[str, str]:
        """A hash of every row that belongs to one community (by any of its chains)."""
        result = {}
        for model in self.chains if only is None else only:
            rows = (model._default_manager.filter(self.owner_query(model, community_id))
                    .order_by("pk").distinct().values_list())
            result[model._meta.label] = hashlib.md5(repr(list(rows)).encode()).hexdigest()
        return result

    def crossings(self, only=None) -> list[str]:
        """Rows whose foreign keys lead to two different communities."""
        problems = []
        for model in self.chains if only is None else only:
            chains = self.chains[model]
            first = chains[0]
            for other in chains[1:]:
                bad = (model._default_manager.exclude(**{f"{first}__isnull": True})
                       .exclude(**{f"{other}__isnull": True})
                       .exclude(**{first: models.F(other)}))
                for pk in bad.values_list("pk", flat=True)[:3]:
                    problems.append(f"{model._meta.label} {pk}: {first} != {other}")
        return problems
