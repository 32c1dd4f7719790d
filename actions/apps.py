from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Action plan"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from actions import delivery_documents, documents, gates, home, reminders
        from plans.navigation import PlanTab, register_tab

        gates.register_items()
        home.register_panels()
        reminders.register_kinds()
        documents.register_kinds()
        delivery_documents.register_kinds()
        home.register_community_panels()
        register_tab(PlanTab(_("Action plan"), "actions:plan", 50))
        register_tab(PlanTab(_("Draft plan"), "actions:draft", 55))
        register_tab(PlanTab(_("Delivery"), "actions:delivery", 60))
        from actions import community

        community.register_panels()
        from actions import delivery

        delivery.register_issue_origin()
        from actions import inbox

        inbox.register_invitation_kind()
