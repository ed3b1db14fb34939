"""Where the event webhooks may go: a guard against server-side request forgery.

An endpoint's URL is typed by staff, and its host's DNS answer is whatever its owner makes it.
Without a guard the workers would POST, from inside the network, to a database admin page, a
cloud metadata service or anything else listening on a private address. So:

- ``check_url`` refuses what the URL alone shows: a scheme other than http(s), plain http
  unless WEBHOOK_ALLOW_HTTP, a user name or password in it;
- ``resolve`` resolves the host and refuses it if any of its addresses is loopback, private,
  link-local, multicast, reserved, unspecified or otherwise not public (IPv4 and IPv6, an IPv4
  address mapped or embedded in an IPv6 one judged as that IPv4 address), unless
  WEBHOOK_ALLOW_PRIVATE_HOSTS (the embedded mode and the tests, whose receivers run on
  127.0.0.1);
- both run when an endpoint is saved (a clear error for staff) and again for every connection
  the sender opens (``session``): the sender resolves the host once, checks the addresses and
  connects to those very addresses, so a DNS answer that changes between the check and the
  connection (DNS rebinding) is never connected to. TLS still verifies the certificate against
  the host name. Proxies from the environment are not used, and redirects are not followed.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util.connection import create_connection


class RefusedDestination(Exception):
    """Webhooks may not go there; the message says why, for people."""


class HostNotFound(Exception):
    """The host has no address now (perhaps for a moment)."""


def check_url(url: str) -> tuple[str, int]:
    """The URL's host and port, if its scheme and form allow sending to it; else
    RefusedDestination."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedDestination(_("Enter the endpoint's full URL (https://…).")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedDestination(_("Enter the endpoint's full URL (https://…)."))
    if parts.scheme == "http" and not settings.WEBHOOK_ALLOW_HTTP:
        raise RefusedDestination(_("The endpoint must use https."))
    if parts.username is not None or parts.password is not None:
        raise RefusedDestination(_("Leave the user name and password out of the URL: every message is signed instead."))
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one leads to (6to4, Teredo, NAT64), if any."""
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def forbidden_kind(address) -> str | None:
    """Why webhooks may not go to this address (e.g. "a loopback address"), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # the IPv4 address itself
            return forbidden_kind(address.ipv4_mapped)
        embedded = _embedded_ipv4(address)
        if embedded is not None and (kind := forbidden_kind(embedded)):
            return kind
    if address.is_unspecified:
        return _("an unspecified address")
    if address.is_loopback:
        return _("a loopback address")
    if address.is_link_local:
        return _("a link-local address")
    if address.is_multicast:
        return _("a multicast address")
    if address.is_reserved:
        return _("a reserved address")
    if address.is_private:
        return _("a private address")
    if not address.is_global:
        return _("an address that is not public")
    return None


def _getaddrinfo(host: str, port: int):
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def resolve(host: str, port: int) -> list[str]:
    """Every address of ``host`` (an IP address is its own), as connectable strings, once each;
    RefusedDestination when any of them is not public (unless WEBHOOK_ALLOW_PRIVATE_HOSTS),
    HostNotFound when it has none."""
    host = host.strip("[]")
    try:
        answers = _getaddrinfo(host, port)
    except (OSError, UnicodeError) as exc:
        raise HostNotFound(host) from exc
    addresses = list(dict.fromkeys(sockaddr[0] for *_rest, sockaddr in answers))
    if not addresses:
        raise HostNotFound(host)
    if settings.WEBHOOK_ALLOW_PRIVATE_HOSTS:
        return addresses
    for text in addresses:
        kind = forbidden_kind(ipaddress.ip_address(text.split("%", 1)[0]))  # an IPv6 zone (fe80::1%eth0) is not part of it
        if kind is None:
            continue
        if host == text:
            raise RefusedDestination(_("%(address)s is %(kind)s: webhooks go only to public internet addresses.") % {
                "address": text, "kind": kind})
        raise RefusedDestination(_("%(host)s resolves to %(address)s, %(kind)s: webhooks go only to public internet addresses.") % {
            "host": host, "address": text, "kind": kind})
    return addresses


def check_destination(url: str) -> None:
    """Everything ``session`` will check, for a URL staff are saving: RefusedDestination with
    the reason, including a host that does not resolve."""
    host, port = check_url(url)
    try:
        resolve(host, port)
    except HostNotFound:
        raise RefusedDestination(_("The host %(host)s could not be found; check the URL.") % {"host": host}) from None


class _Checked:
    """A urllib3 connection that resolves its host itself, checks every address and connects
    only to those (urllib3's own ``_new_conn`` would resolve again, and could get another answer)."""

    def _new_conn(self) -> socket.socket:
        try:
            addresses = resolve(self._dns_host, self.port)
        except HostNotFound as exc:
            raise NameResolutionError(self.host, self, exc.__cause__ or socket.gaierror(str(exc))) from exc
        error: Exception | None = None
        for address in addresses:
            try:
                return create_connection((address, self.port), self.timeout, source_address=self.source_address,
                                         socket_options=self.socket_options)
            except TimeoutError:
                error = ConnectTimeoutError(self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})")
            except OSError as exc:
                error = NewConnectionError(self, f"Failed to establish a new connection: {exc}")
        raise error


class _CheckedHTTPConnection(_Checked, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_Checked, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}

    def send(self, request, *args, **kwargs):
        # Never through a proxy (HTTP(S)_PROXY): the proxy would resolve and reach the host, unchecked.
        kwargs["proxies"] = None
        return super().send(request, *args, **kwargs)


def session() -> requests.Session:
    """A requests session that connects only where ``resolve`` allows, never through a proxy."""
    checked = requests.Session()
    adapter = _CheckedAdapter()
    checked.mount("http://", adapter)
    checked.mount("https://", adapter)
    return checked
