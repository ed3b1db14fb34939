"""Email backend of the embedded mode."""

import sys

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend


class StderrEmailBackend(ConsoleEmailBackend):
    """Django's console backend, writing to stderr: a command's ``--json`` on stdout stays
    clean when a notification is sent in-process."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("stream", sys.stderr)
        super().__init__(*args, **kwargs)
