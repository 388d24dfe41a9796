import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
# A web process: its database connections get the statement timeout
# (forum/core/dbconfig.py), which commands and the worker do without.
os.environ["FORUM_WEB_PROCESS"] = "1"
application = get_wsgi_application()
