"""The shape of an API key: ``ack_<prefix>_<secret>``.

The prefix (12 hex digits) is stored in the clear to find the key's row; of the secret (48 hex
digits, 192 random bits) only the SHA-256 is kept. A high-entropy secret needs no salt or slow
hash: nobody can guess it, and a leaked table of hashes opens nothing."""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

_KEY = re.compile(r"^ack_([0-9a-f]{12})_([0-9a-f]{48})$")


@dataclass(frozen=True)
class NewKey:
    prefix: str
    secret_hash: str
    plaintext: str  # shown once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def generate_key() -> NewKey:
    prefix, secret = secrets.token_hex(6), secrets.token_hex(24)
    return NewKey(prefix=prefix, secret_hash=hash_secret(secret), plaintext=f"ack_{prefix}_{secret}")


def split_key(value: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, else None."""
    match = _KEY.match(value or "")
    return (match.group(1), match.group(2)) if match else None


def secret_matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), secret_hash)
