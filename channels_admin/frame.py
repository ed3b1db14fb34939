"""What every page's frame needs of the signed-in account, read once and kept between
requests: the account itself (its email, language, time zone and staff role) and its unread
notice count. Each is kept under a version (``core.versioned_cache``) that every change to
it moves on: a saved or deleted account (signals below), a notice written, read or removed
(``notifications``). The next request after a change reads it afresh."""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.crypto import constant_time_compare

from core import versioned_cache
from notifications.selectors import UNREAD, count_unread_notices

from .models import Account

ACCOUNT = "frame-account"
_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _load_account(pk) -> Account | None:
    return Account._default_manager.filter(pk=pk).first()


def get_user(request):
    """``django.contrib.auth.get_user`` with the account from the cache. Anything out of the
    ordinary (another backend, a changed password, a missing or inactive account) goes to
    Django's own function, which handles it."""
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path != _MODEL_BACKEND or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    # The unread count is read in the same round trips: the header shows it on every page.
    account, unread = versioned_cache.read_many([
        (ACCOUNT, user_id, lambda: _load_account(user_id)),
        (UNREAD, user_id, lambda: count_unread_notices(account=user_id)),
    ])
    session_hash = request.session.get(HASH_SESSION_KEY)
    if (account is None or not account.is_active or not session_hash
            or not constant_time_compare(session_hash, account.get_session_auth_hash())):
        return auth.get_user(request)
    account.kept_unread_count = unread
    return account


def get_account_kept(pk) -> Account | None:
    """The account with this id, read through the same kept value as the signed-in account:
    no query while it is unchanged."""
    return versioned_cache.read(ACCOUNT, pk, lambda: _load_account(pk))


@receiver(post_save, sender=Account, dispatch_uid="frame-account-saved")
@receiver(post_delete, sender=Account, dispatch_uid="frame-account-deleted")
def _account_changed(sender, instance, **kwargs):
    versioned_cache.bump(ACCOUNT, instance.pk)
