"""Grow a support organisation's portfolio to many communities, for scale checks."""

from django.core.management.base import BaseCommand, CommandError

from actions.portfolio import scale


class Command(BaseCommand):
    help = ("Grow the demo support organisation's portfolio (or another's) to N communities, "
            "each with a plan, a chair, activity, and some with survey responses and actions.")

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, default=500,
                            help="How many communities the portfolio should hold (default 500).")
        parser.add_argument("--organisation", default="",
                            help="The organisation's name (default: the demo's, seeded if needed).")

    def handle(self, *args, communities, organisation, **options):
        if communities < 1:
            raise CommandError("--communities must be 1 or more.")
        try:
            added = scale.grow(communities=communities, organisation_name=organisation)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Added {added} communities; the portfolio holds {communities} or more."))
