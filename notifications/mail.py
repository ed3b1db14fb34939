"""The product's email message, and the email backend of the embedded mode."""

import sys
from email.header import Header
from email.message import Message

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend


class ProductEmail(EmailMultiAlternatives):
    """An email whose non-ASCII subject folds cleanly. Django encodes such a subject without
    knowing the header's name, so a long Korean or Vietnamese one starts on a line of its own
    and mail programs show it with a leading space; encoded as the Subject header, its first
    encoded word fits on the ``Subject:`` line."""

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        subject = str(self.subject)
        if not subject.isascii():
            del msg["Subject"]
            # Message's own __setitem__: Django's would encode the Header object again as text.
            Message.__setitem__(msg, "Subject", Header(subject, "utf-8", header_name="Subject"))
        return msg


class StderrEmailBackend(ConsoleEmailBackend):
    """Django's console backend, writing to stderr: a command's ``--json`` on stdout stays
    clean when a notification is sent in-process."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("stream", sys.stderr)
        super().__init__(*args, **kwargs)
