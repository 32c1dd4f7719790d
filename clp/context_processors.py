from django.conf import settings


def navigation(request):
    return {"site_name": "Community Led Plan", "debug": settings.DEBUG}
