from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from actions.api import views
from actions.api.http import Throttle

app_name = "api"

router = SimpleRouter()
for prefix, basename, _title, viewset in views.ENDPOINTS:
    router.register(f"v1/{prefix}", viewset, basename=basename)

urlpatterns = [
    path("", views.about, name="about"),
    path("v1/schema/", SpectacularAPIView.as_view(authentication_classes=[], throttle_classes=[Throttle]),
         name="schema"),
    *router.urls,
]
