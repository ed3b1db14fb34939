"""Reads for staff search over channels and accounts, through the prefix and trigram indexes."""



from django.db.models import Q, QuerySet

from channels_admin.models import Account, Channel

SEARCH_LIMIT = 20



def search_channels(query: str, *, limit: int = SEARCH_LIMIT) -> list[Channel]:
    """Channels whose public id starts with, or whose name contains, ``query``.

    ``@handle`` searches public ids only. On PostgreSQL a pattern_ops index serves the prefix
    and a trigram index the name (migration restrictions 0003)."""
    query = query.strip()
    if not query:
        return []
    return list(channel_search_queryset(query).only("id", "handle", "name", "kind").order_by("handle")[:limit])



def channel_search_queryset(query: str) -> QuerySet[Channel]:
    handle = Channel.normalize_handle(query)
    if query.startswith("@"):
        return Channel.objects.filter(handle__startswith=handle)
    return Channel.objects.filter(Q(handle__startswith=handle) | Q(name__icontains=query))



def search_accounts(query: str, *, limit: int = SEARCH_LIMIT) -> list[Account]:
    """Accounts by email (prefix; emails are stored lowercase) or by phone (any common way of
    writing a Korean or Vietnamese number, matched on its E.164 prefix)."""
    query = query.strip()
    if not query:
        return []
    return list(account_search_queryset(query).only("id", "email", "full_name", "phone_number").order_by("email")[:limit])



def account_search_queryset(query: str) -> QuerySet[Account]:
    conditions = Q(email__startswith=query.lower())
    phone = _phone_prefix(query)
    if phone:
        conditions |= Q(phone_number__startswith=phone)
    return Account.objects.filter(conditions)



def _phone_prefix(query: str) -> str:
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) < 4 or any(ch.isalpha() or ch == "@" for ch in query):
        return ""
    if query.lstrip().startswith("+"):
        return "+" + digits
    if digits.startswith("0"):
        # A national number: Korean mobiles start 01, Vietnamese ones 0[35789].
        country = "84" if digits[1:2] in {"3", "5", "7", "8", "9"} else "82"
        return f"+{country}{digits[1:]}"
    return "+" + digits
