from django.contrib import admin
from django.urls import include, path

from clp import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organisations/<int:pk>/invite/", views.organisation_invite, name="organisation_invite"),
    path("organisations/<int:pk>/communities/new/", views.organisation_community_new,
         name="organisation_community_new"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("emails/preferences/<str:token>/", views.reminder_preferences, name="reminder_preferences"),
    path("emails/unsubscribe/<str:token>/", views.reminder_unsubscribe, name="reminder_unsubscribe"),
    path("c/<slug:slug>/privacy/", views.privacy_notice, name="privacy_notice"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("health/", health.health, name="health"),
    path("accounts/your-data/", views.your_data, name="your_data"),
    path("accounts/your-data/download/", views.your_data_download, name="your_data_download"),
    path("accounts/your-data/delete/", views.account_delete, name="account_delete"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # The consultation app before the plans app: its residents' pages are the busiest of all.
    path("", include("consultation.urls")),
    path("", include("plans.urls")),
    path("", include("actions.urls")),
    path("", include("actions.portfolio.urls")),
]
