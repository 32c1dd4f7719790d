"""The declared permission table: every URL of the project × every persona → status code.

Each app's rows live here in one table so that a new URL without a row fails
tests/test_permission_matrix.py. A row names how to build the URL's arguments from the test
world, the HTTP method, and the expected status per persona.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.conftest import PERSONAS

LOGIN = 302  # anonymous visitors are sent to the sign-in page


def expect(allowed: set[str], *, visible: set[str] = frozenset(), ok: int = 200,
           anonymous: int = LOGIN) -> dict[str, int]:
    """`allowed` get `ok`; `visible` (may see, may not act) get 403; everyone else 404."""
    table = {}
    for persona in PERSONAS:
        if persona == "anonymous":
            table[persona] = anonymous
        elif persona in allowed:
            table[persona] = ok
        elif persona in visible:
            table[persona] = 403
        else:
            table[persona] = 404
    return table


EVERYONE = set(PERSONAS) - {"anonymous"}
MEMBERS = {"chair", "secretary", "member", "champion"}
MANAGERS = {"admin", "chair", "secretary"}
PLAN_VIEWERS = {"admin", "officer", "councillor"} | MEMBERS
EDITORS = {"admin"} | MEMBERS
OFFICERS = {"admin", "officer"}

VIEW_PLAN = expect(PLAN_VIEWERS)
EDIT_PLAN = expect(EDITORS, visible=PLAN_VIEWERS)
MANAGE_PLAN = expect(MANAGERS, visible=PLAN_VIEWERS)
INVITE_TO_PLAN = expect(MANAGERS | {"officer"}, visible=PLAN_VIEWERS)
WAIVE = expect(OFFICERS, visible=PLAN_VIEWERS)
POST_MANAGE = expect(MANAGERS, visible=PLAN_VIEWERS, ok=302)
POST_EDIT = expect(EDITORS, visible=PLAN_VIEWERS, ok=302)
PUBLIC = dict.fromkeys(PERSONAS, 200)


@dataclass(frozen=True)
class Row:
    kwargs: Callable[[object], dict]
    expected: dict[str, int]
    method: str = "get"
    data: Callable[[object], dict] | None = None


def plan(w):
    return {"pk": w.plan.pk}


def evidence_row(section):
    return {
        section: Row(plan, VIEW_PLAN),
        f"{section}_new": Row(plan, EDIT_PLAN),
        f"{section}_edit": Row(lambda w: {"pk": w.plan.pk, "oid": w.content[section].pk}, EDIT_PLAN),
        f"{section}_delete": Row(lambda w: {"pk": w.plan.pk, "oid": w.content[section].pk},
                                 EDIT_PLAN),
    }


TABLE: dict[str, Row] = {
    # clp
    "home": Row(lambda w: {}, PUBLIC),
    "invitation_accept": Row(lambda w: {"token": w.invitation.token}, PUBLIC),
    "organisation_invite": Row(lambda w: {"pk": w.organisation.pk}, expect(OFFICERS)),
    "organisation_community_new": Row(lambda w: {"pk": w.organisation.pk}, expect(OFFICERS)),
    # plans
    "plans:community": Row(lambda w: {"slug": w.community.slug}, PUBLIC),
    "plans:communities": Row(lambda w: {}, PUBLIC),
    "plans:create": Row(lambda w: {"slug": w.community.slug},
                        expect(OFFICERS, visible=PLAN_VIEWERS)),
    "plans:councillor_plans": Row(lambda w: {}, expect(EVERYONE)),
    "plans:detail": Row(plan, VIEW_PLAN),
    "plans:edit": Row(plan, EDIT_PLAN),
    "plans:history": Row(plan, VIEW_PLAN),
    "plans:advance": Row(plan, MANAGE_PLAN),
    "plans:revisit": Row(plan, MANAGE_PLAN),
    "plans:review": Row(lambda w: {"pk": w.reviewing_plan.pk}, MANAGE_PLAN),
    "plans:pause": Row(plan, POST_MANAGE, method="post"),
    "plans:resume": Row(plan, POST_MANAGE, method="post"),
    "plans:close": Row(plan, MANAGE_PLAN),
    "plans:tick": Row(lambda w: {"pk": w.plan.pk, "key": "evidence_reviewed"}, EDIT_PLAN),
    "plans:untick": Row(lambda w: {"pk": w.plan.pk, "key": "evidence_reviewed"}, POST_EDIT,
                        method="post"),
    "plans:waive": Row(lambda w: {"pk": w.plan.pk, "key": "process_plan"}, WAIVE),
    "plans:unwaive": Row(lambda w: {"pk": w.plan.pk, "key": "process_plan"},
                         expect(OFFICERS, visible=PLAN_VIEWERS, ok=302), method="post"),
    "plans:members": Row(plan, VIEW_PLAN),
    "plans:member_invite": Row(plan, INVITE_TO_PLAN),
    "plans:member_edit": Row(lambda w: {"pk": w.plan.pk, "mid": w.membership.pk}, MANAGE_PLAN),
    "plans:member_remove": Row(lambda w: {"pk": w.plan.pk, "mid": w.membership.pk}, MANAGE_PLAN),
    "plans:councillor_attach": Row(plan, INVITE_TO_PLAN),
    "plans:invitation_withdraw": Row(lambda w: {"pk": w.plan.pk, "iid": w.invitation.pk},
                                     expect(MANAGERS | {"officer"}, visible=PLAN_VIEWERS, ok=302),
                                     method="post"),
    "plans:invitation_resend": Row(lambda w: {"pk": w.plan.pk, "iid": w.invitation.pk},
                                   expect(MANAGERS | {"officer"}, visible=PLAN_VIEWERS, ok=302),
                                   method="post"),
    "plans:councillor_invite": Row(plan, INVITE_TO_PLAN),
    "plans:file": Row(lambda w: {"pk": w.plan.pk, "section": "evidence",
                                 "oid": w.content["evidence"].pk}, VIEW_PLAN),
    **{f"plans:{k}": v for s in ("milestones", "support", "meetings", "evidence")
       for k, v in evidence_row(s).items()},
}

# Third-party URL sets: covered by their own test suites; we check their key pages render.
THIRD_PARTY_PREFIXES = ("admin:", "allauth.")


def _extend_from_apps() -> list:
    """Later apps keep their rows in tests/<app>/permission_rows.py (ROWS, and extend_world)."""
    from importlib import import_module

    extenders = []
    for app in ("clp", "plans", "consultation", "actions", "portfolio"):
        try:
            module = import_module(f"tests.{app}.permission_rows")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{app}.permission_rows":
                raise
            continue
        TABLE.update(module.ROWS)
        if hasattr(module, "extend_world"):
            extenders.append(module.extend_world)
    return extenders


WORLD_EXTENDERS = _extend_from_apps()
