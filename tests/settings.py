"""The test run's settings: the app's own (kpdata/settings.py) with the changes only tests want.

pytest reads this module (pyproject.toml), and so do the live servers of tests/live.py.
"""

import os
import tempfile
from pathlib import Path

from kpdata.settings import *  # noqa: F403
from kpdata.settings import STORAGES

# Static files are served from the apps' own folders, looked up when asked for: no test needs
# `collectstatic`, and a new test client does not index ~1,000 collected files (0.1 s each).
STATIC_ROOT = None
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Test users' passwords are hashed in microseconds, not in the half second a real hash takes.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Each run counts requests in a file of its own: runs on SQLite and PostgreSQL may overlap.
if not os.environ.get("KPDATA_THROTTLE_FILE"):
    THROTTLE_FILE = Path(tempfile.mkdtemp(prefix="kpdata-throttles-")) / "throttles.sqlite3"
