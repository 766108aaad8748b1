import os

from django.core.wsgi import get_wsgi_application

from core.checks import production_configuration_enforce

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makers_school.settings.production")

application = get_wsgi_application()
# Under production settings a wrong configuration stops here (a SystemCheckError
# naming each rule broken): gunicorn's workers fail to boot and gunicorn exits.
production_configuration_enforce()
