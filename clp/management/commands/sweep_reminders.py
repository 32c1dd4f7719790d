"""Run the reminder sweep once, as beat does every 15 minutes (for cron, or after an outage)."""

from django.core.management.base import BaseCommand

from clp import services


class Command(BaseCommand):
    help = "Record the reminders that are due and queue their emails (safe to run at any time)."

    def handle(self, *args, **options):
        created = services.reminders_sweep()
        self.stdout.write(f"{created} new reminders recorded.")
