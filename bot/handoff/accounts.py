"""Counsellors' accounts and dashboard sessions: scrypt password hashes, expiring sessions
(only the token's hash is stored), a CSRF token per session."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.handoff.models import Counsellor, WebSession

SESSION_HOURS = 8
ROLES = ("counsellor", "admin")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSWORD = 10


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


def add_counsellor(session: Session, username: str, display_name: str, password: str,
                   role: str = "counsellor", team: str | None = None) -> Counsellor:
    if role not in ROLES:
        raise AccountError(f"rôle inconnu : {role} ({', '.join(ROLES)})")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"mot de passe trop court ({MIN_PASSWORD} caractères au moins)")
    if session.execute(select(Counsellor).where(Counsellor.username == username)).first():
        raise AccountError(f"le compte « {username} » existe déjà")
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
    stored = counsellor.password_hash if counsellor else hash_password("not-a-password")
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
