from django.apps import AppConfig


class ClpConfig(AppConfig):
    name = "clp"
    verbose_name = "Community Led Plan (core)"

    def ready(self):
        from clp import invitations

        invitations.register_core_kinds()
