#!/usr/bin/env python
import os
import sys


def unreadable_argument(argv: list[str]) -> str:
    """The first argument that is not valid UTF-8 text (Python keeps its bytes as lone
    surrogates, which no field can store), as the terminal would show it; "" if none."""
    for arg in argv[1:]:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return ""


def main():
    if bad := unreadable_argument(sys.argv):
        sys.exit(f"manage.py: the argument {bad!r} is not valid UTF-8 text; check the terminal's encoding.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
