"""Build (or refresh) a believable demo county. Safe to run twice: nothing is duplicated."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create demo communities, people of every role and plans at every step."

    def handle(self, *args, **options):
        context: dict = {}
        with transaction.atomic():
            # Each app adds its own demo data, in dependency order (clp, plans, consultation …).
            for config in apps.get_app_configs():
                try:
                    demo = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                demo.seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(render_logins(context.get("logins", [])))


def render_logins(logins: list[tuple[str, str, str]]) -> str:
    from clp.demo import DEMO_PASSWORD

    lines = [f"\nDemo logins (password for all: {DEMO_PASSWORD}):"]
    width = max((len(role) for role, _e, _n in logins), default=10)
    lines += [f"  {role.ljust(width)}  {email}  ({name})" for role, email, name in logins]
    lines.append("\nOpen http://127.0.0.1:8000 and sign in.\n")
    return "\n".join(lines)
