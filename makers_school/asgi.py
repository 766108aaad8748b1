import os

from django.core.asgi import get_asgi_application

from core.checks import production_configuration_enforce

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makers_school.settings.production")

application = get_asgi_application()
# As in wsgi.py: a wrong production configuration does not start.
production_configuration_enforce()
