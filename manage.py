#!/usr/bin/env python
"""Django's command-line utility for KP Data."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpdata.settings")
    from django.core.management import execute_from_command_line
    from django.db import InterfaceError, OperationalError

    try:
        execute_from_command_line(sys.argv)
    except (OperationalError, InterfaceError) as error:
        # An unreachable or misconfigured database gets one line, not a traceback.
        from django.db import connection

        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        target = connection.settings_dict.get("NAME")
        sys.exit(f"kpdata: database {target!s} (from DATABASE_URL) cannot be used: {reason}")


if __name__ == "__main__":
    main()
