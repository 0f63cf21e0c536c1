"""WSGI entry point: gunicorn serves ``pyerp.wsgi:application``."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pyerp.settings")

application = get_wsgi_application()
