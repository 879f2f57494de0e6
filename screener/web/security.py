"""The web app's guards: access token, CSRF token, trusted host names, safe redirects.

Loopback-only by default: a page on another site cannot reach the app through DNS tricks (the
Host header must name this machine), and every request that changes data carries a per-session
CSRF token. Served on a network address, every request also needs the access token printed at
start-up (given once in the URL, then kept in a cookie).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "ip6-localhost"}
ACCESS_COOKIE = "screener_access"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    host = (host or "").strip().strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(host_header: str) -> str:
    """The name part of a Host header (``[::1]:5000`` -> ``::1``)."""
    h = (host_header or "").strip()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def new_token() -> str:
    return secrets.token_urlsafe(24)


def tokens_equal(given: str | None, expected: str | None) -> bool:
    if not given or not expected:
        return False
    return hmac.compare_digest(str(given).encode(), str(expected).encode())


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: a ``next=`` parameter must never send a reviewer elsewhere."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def clean_reviewer(name: str | None) -> str | None:
    """A reviewer name as typed, or None when it cannot be used."""
    if name is None:
        return None
    name = " ".join(str(name).split())
    if not name or len(name) > 60 or any(ord(c) < 32 for c in name):
        return None
    if name.lower() in {"imported", "resolver"}:
        return None
    return name


__all__ = ["ACCESS_COOKIE", "CSRF_FIELD", "CSRF_HEADER", "clean_reviewer", "host_name", "is_loopback", "new_token",
           "safe_next", "tokens_equal"]
