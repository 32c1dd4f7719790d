"""Permission rows for the core's reminder pages (merged into tests/permissions.py)."""

from clp import health, reminders
from clp.models import Recipient
from tests.permissions import EVERYONE, PUBLIC, Row, expect

SIGNED_IN = expect(EVERYONE)


def extend_world(world) -> None:
    world.recipient = Recipient.objects.create(email="lead.without.account@test.org")
    health.heartbeat_write()  # a running beat, so /health/ is 200 whether or not Celery is eager


ROWS = {
    "notifications": Row(lambda w: {}, SIGNED_IN),
    "notification_settings": Row(lambda w: {}, SIGNED_IN),
    # Opened from an email without signing in: the signed link is the permission.
    "reminder_preferences": Row(lambda w: {"token": reminders.make_token(
        w.recipient, reminders.PREFERENCES_SALT)}, PUBLIC),
    "reminder_unsubscribe": Row(lambda w: {"token": reminders.make_token(
        w.recipient, reminders.UNSUBSCRIBE_SALT, ["survey_closing"])}, PUBLIC),
    "privacy_notice": Row(lambda w: {"slug": w.plan.community.slug}, PUBLIC),
    "accessibility": Row(lambda w: {}, PUBLIC),
    "health": Row(lambda w: {}, PUBLIC),
    # Each person's own data only: nothing in the URL names whose.
    "your_data": Row(lambda w: {}, SIGNED_IN),
    "your_data_download": Row(lambda w: {}, SIGNED_IN),
    # Without the password the form is refused (400) and nothing is deleted.
    "account_delete": Row(lambda w: {}, expect(EVERYONE, ok=400), method="post"),
}
