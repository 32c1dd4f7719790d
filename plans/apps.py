from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Plans"

    def ready(self):
        from plans import gates, home, invitations, navigation, publishing_panels, reminders

        gates.register_builtin_items()
        navigation.register_builtin_tabs()
        invitations.register_kinds()
        home.register_panels()
        reminders.register_kinds()
        publishing_panels.register_panels()
