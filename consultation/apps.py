from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = "Consultation"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from consultation import documents, gates, home, reminders
        from consultation.analysis import counts
        from plans.navigation import PlanTab, register_tab

        counts.connect()
        gates.register_items()
        home.register_panels()
        documents.register_kinds()
        home.register_community_panels()
        reminders.register_kinds()
        register_tab(PlanTab(_("Surveys"), "consultation:surveys", 40))
        register_tab(PlanTab(_("Findings"), "consultation:issues", 45))
