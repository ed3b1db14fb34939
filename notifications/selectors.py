from .models import Notice


def count_unread_notices(*, account) -> int:
    return Notice.objects.filter(recipient=account, read_at__isnull=True).count()
