"""Permission rows for plans URLs added after tests/permissions.py was written."""

from tests.permissions import MANAGERS, OFFICERS, PLAN_VIEWERS, Row, expect

ROWS = {
    "plans:notifications": Row(lambda w: {"pk": w.plan.pk},
                               expect(MANAGERS | {"officer"}, visible=PLAN_VIEWERS)),
    "plans:portfolio_notifications": Row(lambda w: {"pk": w.organisation.pk}, expect(OFFICERS)),
}
