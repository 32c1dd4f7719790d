from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    """The support officer's view across the organisation's communities (depends on every app)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "actions.portfolio"
    label = "portfolio"
    verbose_name = "Portfolio"

    def ready(self):
        from actions.portfolio import community, digest

        digest.register_kind()
        community.register_panels()
