from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Plans"

    def ready(self):
        from plans import gates, home, invitations

        gates.register_builtin_items()
        invitations.register_kinds()
        home.register_panels()
