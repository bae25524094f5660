"""The WSGI entry point for production serving: `gunicorn dashboard.wsgi:server`.

Settings come from the IMVO_* environment variables; IMVO_SECRET_KEY is required.
"""

from dashboard.app import create_app
from dashboard.serving import hide_server_header, jobs_from_settings, security_from_settings
from imvo.settings import get_settings

_settings = get_settings()
hide_server_header()
app = create_app(_settings.warehouse_path, security=security_from_settings(_settings),
                 jobs=jobs_from_settings(_settings, _settings.warehouse_path))
server = app.server
