import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from portal.fastlane import FastLane  # noqa: E402  (after the settings module is set)

# The public verification page and API go through a lighter handler (portal/fastlane.py).
application = FastLane(get_wsgi_application())
