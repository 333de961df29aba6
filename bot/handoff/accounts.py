"""Counsellors' accounts and dashboard sessions: scrypt password hashes, expiring sessions
(only the token's hash is stored), a CSRF token per session; the teams an account works for
(a counsellor sees and acts on their teams' tickets only, an admin on all); logins throttled
per username and per address, and as slow for an unknown username as for a known one."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.handoff.models import Counsellor, WebSession

SESSION_HOURS = 8
ROLES = ("counsellor", "admin")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSWORD = 10
# scrypt costs ~16 MB and tens of ms: its own two threads, not the pool every request shares.
SCRYPT_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="scrypt")


class AccountError(ValueError):
    pass


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    computed = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                              p=int(p), dklen=len(digest) // 2)
    return hmac.compare_digest(computed.hex(), digest)


@lru_cache(maxsize=1)
def _unknown_user_hash() -> str:
    """Checked against when the username does not exist: one scrypt, like a real account."""
    return hash_password(secrets.token_urlsafe(16))


def teams_of(counsellor: Counsellor) -> frozenset[str]:
    """The teams an account works for (`team`: ids of territory.yml, comma-separated)."""
    return frozenset(t.strip() for t in (counsellor.team or "").split(",") if t.strip())


def sees_all(counsellor: Counsellor) -> bool:
    return counsellor.role == "admin"


def add_counsellor(session: Session, username: str, display_name: str, password: str,
                   role: str = "counsellor", team: str | None = None) -> Counsellor:
    if role not in ROLES:
        raise AccountError(f"rôle inconnu : {role} ({', '.join(ROLES)})")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"mot de passe trop court ({MIN_PASSWORD} caractères au moins)")
    if session.execute(select(Counsellor).where(Counsellor.username == username)).first():
        raise AccountError(f"le compte « {username} » existe déjà")
    from bot.handoff.teams import teams

    wanted = [t.strip() for t in (team or "").split(",") if t.strip()]
    unknown = [t for t in wanted if t not in teams()]
    if unknown:
        raise AccountError(f"équipe inconnue : {', '.join(unknown)} "
                           f"(territory.yml : {', '.join(teams())})")
    team = ",".join(wanted) or None
    if team and len(team) > 60:  # the column's size
        raise AccountError("trop d'équipes pour un compte : un compte admin les voit toutes")
    counsellor = Counsellor(username=username, display_name=display_name,
                            password_hash=hash_password(password), role=role, team=team)
    session.add(counsellor)
    session.flush()
    return counsellor


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login(session: Session, username: str, password: str) -> tuple[str, WebSession] | None:
    """(cookie token, session) for good credentials, else None (same time either way)."""
    counsellor = session.execute(
        select(Counsellor).where(Counsellor.username == username, Counsellor.active.is_(True))
    ).scalar_one_or_none()
    stored = counsellor.password_hash if counsellor else _unknown_user_hash()
    if not verify_password(password, stored) or counsellor is None:
        return None
    session.execute(delete(WebSession).where(WebSession.expires_at < datetime.utcnow()))
    token = secrets.token_urlsafe(32)
    web_session = WebSession(token_hash=_token_hash(token), counsellor_id=counsellor.id,
                             csrf_token=secrets.token_urlsafe(24),
                             expires_at=datetime.utcnow() + timedelta(hours=SESSION_HOURS))
    session.add(web_session)
    session.flush()
    return token, web_session


def current(session: Session, token: str | None) -> WebSession | None:
    if not token:
        return None
    web_session = session.get(WebSession, _token_hash(token))
    if web_session is None or web_session.expires_at < datetime.utcnow():
        return None
    if not web_session.counsellor.active:
        return None
    return web_session


def logout(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(WebSession).where(WebSession.token_hash == _token_hash(token)))


def csrf_ok(web_session: WebSession, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(web_session.csrf_token, submitted or "")


class LoginThrottle:
    """Failed logins, in process: after `per_user` failures for one username (whether it exists
    or not) or `per_address` from one address within `period` seconds, logins wait. A success
    clears that username's count."""

    def __init__(self, per_user: int = 5, per_address: int = 30, period: float = 900.0,
                 clock=time.monotonic, max_keys: int = 20_000):
        self.limits = {"user": per_user, "address": per_address}
        self.period, self.clock, self.max_keys = period, clock, max_keys
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _keys(username: str, address: str) -> list[tuple[str, str]]:
        return [("user", username.strip().lower()[:80]), ("address", address)]

    def wait_s(self, username: str, address: str) -> float:
        """0 if a login may be tried now, else how many seconds to wait."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in self._keys(username, address):
                times = self._failures.get(key)
                while times and now - times[0] > self.period:
                    times.popleft()
                if times and len(times) >= self.limits[key[0]]:
                    wait = max(wait, self.period - (now - times[0]))
        return wait

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in self._keys(username, address):
                times = self._failures.pop(key, None) or deque()
                times.append(now)
                self._failures[key] = times
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(username, "")[0], None)

