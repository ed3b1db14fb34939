"""How a channel backend reports a failed send."""


class DeliveryError(Exception):
    """A send failed. ``temporary`` errors are retried with backoff; others fail the delivery."""

    temporary = True


class TemporaryDeliveryError(DeliveryError):
    """Worth another try later: a timeout, a network error, a 5xx answer, a busy provider."""

    temporary = True


class PermanentDeliveryError(DeliveryError):
    """Another try would fail the same way: a refused address, an unknown template, a bad number."""

    temporary = False


class SkippedDelivery(DeliveryError):
    """Nothing to send any more: what the message was about is gone (an invitation accepted,
    revoked or expired before its email went out). The delivery ends ``skipped``."""

    temporary = False
