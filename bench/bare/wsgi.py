import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"  # run.py exports CLP's for itself
application = get_wsgi_application()
