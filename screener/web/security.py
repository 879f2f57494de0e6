"""The web app's guards: access token, CSRF token and Origin check, trusted host names, safe
redirects, and the limit on failed sign-ins.

Loopback-only by default: a page on another site cannot reach the app through DNS tricks (the
Host header must name this machine), and every request that changes data carries a per-session
CSRF token. Served on a network address, every request also needs the access token printed at
start-up (given once in the URL, then kept in a cookie).
"""

from __future__ import annotations

import collections
import contextlib
import hmac
import ipaddress
import secrets
import threading
import time
import unicodedata
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


def seal_pick(key: str, record_id: int, ranking_id: int, reviewer: str = "") -> str:
    """The ranking that picked a blind reviewer's record, sealed for her page to send back with her decision: any
    server process reads it (``open_pick``, the key is the project's), she cannot (a new ranking stored after her
    decision would tell her it settled a study), and each seal differs, so two of one ranking look unalike. It opens
    for ``reviewer`` only: copied into a teammate's decision, it logged a ranking that never showed him the record."""
    import base64
    import hashlib

    nonce = secrets.token_bytes(12)
    pad = hmac.new(str(key).encode(), b"pick" + nonce + str(int(record_id)).encode(), hashlib.sha256).digest()
    body = bytes(a ^ b for a, b in zip(int(ranking_id).to_bytes(8, "big"), pad))
    mac = hmac.new(str(key).encode(), b"seal" + nonce + body + _sealed_for(record_id, reviewer), hashlib.sha256)
    return base64.urlsafe_b64encode(nonce + body + mac.digest()[:12]).decode()


def _sealed_for(record_id: int, reviewer: str) -> bytes:
    """What a seal is bound to: the record, and the reviewer it was handed to (her name's length first, so that no
    two pairs read alike)."""
    name = str(reviewer or "").encode()
    return str(int(record_id)).encode() + b"|" + str(len(name)).encode() + b":" + name


def open_pick(key: str, token, record_id: int, reviewer: str = "") -> int | None:
    """The ranking ``seal_pick`` sealed for ``record_id`` and ``reviewer``; None for anything else (another record's,
    another reviewer's, forged)."""
    import base64
    import binascii
    import hashlib

    if not isinstance(token, str):
        return None
    try:
        raw = base64.urlsafe_b64decode(token.encode())
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 32:
        return None
    nonce, body, mac = raw[:12], raw[12:20], raw[20:]
    want = hmac.new(str(key).encode(), b"seal" + nonce + body + _sealed_for(record_id, reviewer),
                    hashlib.sha256).digest()
    if not hmac.compare_digest(mac, want[:12]):
        return None
    pad = hmac.new(str(key).encode(), b"pick" + nonce + str(int(record_id)).encode(), hashlib.sha256).digest()
    return int.from_bytes(bytes(a ^ b for a, b in zip(body, pad)), "big")


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: a ``next=`` parameter must never send a reviewer elsewhere."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def same_origin(origin: str | None, referer: str | None, host: str) -> bool:
    """A change must come from our own pages: the Origin header (else the Referer) names this host.

    Browsers send Origin with every POST; a request with neither header (a script, curl) still needs
    the CSRF token. ``Origin: null`` (a sandboxed frame, a privacy redirect) is refused.
    """
    host = (host or "").lower()
    if origin:
        return origin != "null" and urlsplit(origin).netloc.lower() == host
    if referer:
        return urlsplit(referer).netloc.lower() == host
    return True


class LoginLimiter:
    """Failed sign-ins, limited per name and per address over a sliding window.

    After ``per_name`` failures for one name (or ``per_address`` from one address) within
    ``window`` seconds, further attempts are refused without checking the password until the
    oldest failure leaves the window, so a password cannot be guessed at speed.
    """

    def __init__(self, per_name: int = 5, per_address: int = 20, window: float = 900.0, clock=time.monotonic):
        self.per_name, self.per_address, self.window, self.clock = per_name, per_address, window, clock
        self._fails: dict[tuple[str, str], collections.deque] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _name_key(name: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", str(name or "")).casefold().split())

    def _keys(self, address: str, name: str):
        return (("name", self._name_key(name)), self.per_name), (("address", str(address)), self.per_address)

    def wait(self, address: str, name: str) -> float:
        """Seconds until another attempt is allowed (0: now)."""
        with self._lock:
            return self._wait(address, name)

    def _wait(self, address: str, name: str) -> float:
        now = self.clock()
        longest = 0.0
        for key, limit in self._keys(address, name):
            q = self._fails.get(key)
            if not q:
                continue
            while q and now - q[0] > self.window:
                q.popleft()
            if len(q) >= limit:
                longest = max(longest, self.window - (now - q[0]))
        return longest

    def tries_left(self, address: str, name: str) -> int:
        """Failed sign-ins still allowed for ``name`` from ``address`` before the lock-out. Counted by the name typed,
        whether an account has it or not: the count tells nothing of which names are accounts."""
        with self._lock:
            return self._tries_left(address, name)

    def _tries_left(self, address: str, name: str) -> int:
        now = self.clock()
        left = []
        for key, limit in self._keys(address, name):
            q = self._fails.get(key) or ()
            left.append(limit - sum(now - t <= self.window for t in q))
        return max(0, min(left))

    def begin(self, address: str, name: str) -> float:
        """``wait``, and when that is 0, the attempt counted as failed in the same step (``succeeded``
        takes it back): sign-ins sent all at once would otherwise each pass the check before the
        first of them failed, and guess as many passwords as they like."""
        with self._lock:
            longest = self._wait(address, name)
            if not longest:
                self._failed(address, name)
        return longest

    def failed(self, address: str, name: str) -> None:
        with self._lock:
            self._failed(address, name)

    def _failed(self, address: str, name: str) -> None:
        now = self.clock()
        for key, _ in self._keys(address, name):
            self._fails.setdefault(key, collections.deque()).append(now)

    def succeeded(self, address: str, name: str) -> None:
        """After ``begin``: the name's failures are forgotten, and the attempt ``begin`` counted
        against the address is taken back (a team behind one address signs in all day)."""
        with self._lock:
            self._fails.pop(("name", self._name_key(name)), None)
            self._take_back((("address", str(address)),))

    def cancel(self, address: str, name: str) -> None:
        """After ``begin``: the password was never checked (the database did not answer), so the
        attempt does not count."""
        with self._lock:
            self._take_back(key for key, _ in self._keys(address, name))

    def _take_back(self, keys) -> None:
        for key in keys:
            q = self._fails.get(key)
            if q:
                q.pop()


class StoredLoginLimiter(LoginLimiter):
    """``LoginLimiter`` with the failures kept in the project's store (setting ``login_failures``).

    Held in one process's memory, each of several server processes (``screener serve --workers``)
    counted its own failures: a guesser got five tries per process, and a locked-out account was
    open again on the next process, or after a restart. Here every process reads and writes the
    same count, in turn (``Store.serialize``), by the wall clock every process shares."""

    SETTING = "login_failures"
    #: at most this many names and addresses are remembered (the oldest failures go first)
    MAX_KEYS = 5000

    def __init__(self, store, per_name: int = 5, per_address: int = 20, window: float = 900.0, clock=time.time):
        super().__init__(per_name, per_address, window, clock)
        self.store = store

    def _load(self) -> None:
        stored = self.store.get_setting(self.SETTING) or {}
        self._fails = {}
        for key, times in (stored.items() if isinstance(stored, dict) else ()):
            kind, _, value = str(key).partition(":")
            if kind in ("name", "address") and isinstance(times, list):
                self._fails[(kind, value)] = collections.deque(float(t) for t in times)

    def _save(self) -> None:
        now = self.clock()
        kept = {f"{kind}:{value}": [t for t in q if now - t <= self.window] for (kind, value), q in self._fails.items()}
        kept = {k: v for k, v in kept.items() if v}
        if len(kept) > self.MAX_KEYS:
            kept = dict(sorted(kept.items(), key=lambda kv: kv[1][-1])[-self.MAX_KEYS:])
        if kept or self.store.get_setting(self.SETTING):
            self.store.set_setting(self.SETTING, kept)

    @contextlib.contextmanager
    def _turn(self, write: bool = True):
        """The stored failures, read (and written back) in turn with the other server processes."""
        with self._lock:
            if not write:
                self._load()
                yield
                return
            with self.store.transaction():
                self.store.serialize(self.SETTING)
                self._load()
                yield
                self._save()

    def wait(self, address: str, name: str) -> float:
        with self._turn(write=False):
            return self._wait(address, name)

    def tries_left(self, address: str, name: str) -> int:
        with self._turn(write=False):
            return self._tries_left(address, name)

    def begin(self, address: str, name: str) -> float:
        with self._turn():
            longest = self._wait(address, name)
            if not longest:
                self._failed(address, name)
        return longest

    def failed(self, address: str, name: str) -> None:
        with self._turn():
            self._failed(address, name)

    def succeeded(self, address: str, name: str) -> None:
        with self._turn():
            self._fails.pop(("name", self._name_key(name)), None)
            self._take_back((("address", str(address)),))

    def cancel(self, address: str, name: str) -> None:
        with self._turn():
            self._take_back(key for key, _ in self._keys(address, name))

    def forget(self, name: str | None = None) -> int:
        """Lift a lock-out now (``screener user unlock``, or a new password set): the failed sign-ins of
        account ``name``, or of every name and address when None; how many failures within the window
        were forgotten.
        Otherwise a reviewer who mistyped five times waited out the window, a new password or not."""
        with self._turn():
            keys = [k for k in self._fails if name is None or k == ("name", self._name_key(name))]
            now = self.clock()  # failures older than the window lock nothing: not counted as lifted
            return sum(sum(now - t <= self.window for t in self._fails.pop(k)) for k in keys)

    def locked_names(self, names) -> set[str]:
        """Those of account ``names`` locked out now (``per_name`` failed sign-ins): the Accounts page offers to
        unlock them."""
        with self._turn(write=False):
            now = self.clock()
            locked = {value for (kind, value), q in self._fails.items()
                      if kind == "name" and sum(now - t <= self.window for t in q) >= self.per_name}
        return {n for n in names if self._name_key(n) in locked}

    def locked_addresses(self) -> int:
        """How many addresses are locked out now (``per_address`` failed sign-ins from one, an office's):
        lifting one account's lock-out does not let its reviewer in from there."""
        with self._turn(write=False):
            now = self.clock()
            return sum(1 for (kind, _), q in self._fails.items()
                       if kind == "address" and sum(now - t <= self.window for t in q) >= self.per_address)


__all__ = ["ACCESS_COOKIE", "CSRF_FIELD", "CSRF_HEADER", "LoginLimiter", "StoredLoginLimiter", "host_name",
           "is_loopback", "new_token", "open_pick", "safe_next", "same_origin", "seal_pick", "tokens_equal"]
