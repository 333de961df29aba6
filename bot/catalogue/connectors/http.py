"""A small JSON client for the offer APIs: timeouts, retries with backoff, errors in French.

Every connector talks to its API through one `ApiClient`. What it does:

- joins paths to a base URL (an absolute URL, such as an OAuth2 token endpoint, is used as is);
- times out: connect 5 s, read 20 s by default (`INDY_CONNECTOR_CONNECT_TIMEOUT_S`,
  `INDY_CONNECTOR_TIMEOUT_S`); the read time-out bounds the whole answer, not only the wait
  between two bytes, so an API that trickles its answer cannot hold an import either;
- retries, at most `max_tries` times in all (4 by default), on 429 (honouring `Retry-After`),
  500, 502, 503, 504 and connection errors, waiting 1 s, 2 s, 4 s... between tries; the sleep
  function is injectable so that tests do not wait. A slow answer (read time-out) is not
  retried: asking a slow API again only makes it slower, and the import would wait 4 times;
- raises `ConnectorError`, with a message for the operator in French (which API, what
  status, what to do), on 401/403 (credentials refused), on any other 4xx (no retry), when
  the tries are exhausted, and when a body that should be JSON is not.
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import requests
import urllib3

DEFAULT_TIMEOUT = (5.0, 20.0)  # (connect, read) in seconds, unless configured
DEFAULT_MAX_TRIES = 4
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
AUTH_STATUSES = frozenset({401, 403})
# Past this wait, asked for by a 429's Retry-After, we give up rather than block an import.
MAX_RETRY_AFTER = 120.0
USER_AGENT = "indy-catalogue/0.1 (+connecteurs offres)"


def configured_timeout() -> tuple[float, float]:
    """(connect, read) in seconds, from the environment or DEFAULT_TIMEOUT."""
    return (float(os.environ.get("INDY_CONNECTOR_CONNECT_TIMEOUT_S", DEFAULT_TIMEOUT[0])),
            float(os.environ.get("INDY_CONNECTOR_TIMEOUT_S", DEFAULT_TIMEOUT[1])))


class ConnectorError(RuntimeError):
    """A connector could not get its offers. `str(error)` is for the operator, in French."""

    def __init__(self, message: str, *, api: str = "", status: int | None = None,
                 tries: int = 0, payload: Any = None) -> None:
        super().__init__(message)
        self.api = api
        self.status = status
        self.tries = tries
        self.payload = payload  # the decoded error body, when there was one


@dataclass
class ApiResponse:
    status: int
    headers: Mapping[str, str]
    data: Any  # decoded JSON, or None for an empty body (204)
    url: str
    tries: int = 1


@dataclass
class ApiClient:
    """JSON over HTTP for one API.

    `api` names the API in messages ("France Travail (Offres d'emploi v2)"), and
    `credentials_hint` says what the operator must check when credentials are refused
    ("les variables FRANCETRAVAIL_CLIENT_ID et FRANCETRAVAIL_CLIENT_SECRET").
    """

    api: str
    base_url: str
    credentials_hint: str = "les identifiants de l'API"
    headers: dict[str, str] = field(default_factory=dict)
    timeout: tuple[float, float] | None = None  # None: configured_timeout()
    max_tries: int = DEFAULT_MAX_TRIES
    backoff: float = 1.0
    max_retry_after: float = MAX_RETRY_AFTER
    sleep: Callable[[float], Any] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        if self.max_tries < 1:
            raise ValueError("max_tries must be at least 1")
        if self.timeout is None:
            self.timeout = configured_timeout()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        self.session.headers["Accept"] = "application/json"

    # -- public ---------------------------------------------------------------------------

    def close(self) -> None:
        self.session.close()

    def url_for(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"

    def get(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("POST", path, **kwargs)

    def request(self, method: str, path: str, *, params: Any = None, data: Any = None,
                json_body: Any = None, headers: Mapping[str, str] | None = None) -> ApiResponse:
        """Sends the request, retrying as the module docstring says; returns 2xx responses."""
        url = self.url_for(path)
        what = f"{method} {_short(url)}"
        last_problem = ""
        for attempt in range(1, self.max_tries + 1):
            try:
                response = self._send(method, url, params=params, data=data, json=json_body,
                                      headers={**self.headers, **(headers or {})})
            except requests.ReadTimeout:
                raise ConnectorError(
                    f"{self.api} : délai dépassé pour {what} (pas de réponse complète en "
                    f"{self.timeout[1]:g} s). Le service est lent ou surchargé : réessayez "
                    f"plus tard (délai réglable : INDY_CONNECTOR_TIMEOUT_S).",
                    api=self.api, tries=attempt,
                ) from None
            except (requests.ConnectionError, requests.Timeout) as error:
                kind = "délai dépassé" if isinstance(error, requests.Timeout) else "connexion"
                last_problem = f"erreur de {kind} ({type(error).__name__})"
                wait = self._backoff(attempt)
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return ApiResponse(status, response.headers,
                                       self._decode(response, what), response.url, attempt)
                if status in AUTH_STATUSES:
                    raise ConnectorError(
                        f"{self.api} : accès refusé (HTTP {status}) pour {what}. "
                        f"Identifiants absents, invalides ou sans droit sur cette API : "
                        f"vérifiez {self.credentials_hint}.",
                        api=self.api, status=status, tries=attempt,
                        payload=_payload(response),
                    )
                if status not in RETRY_STATUSES:
                    detail = _detail(response)
                    raise ConnectorError(
                        f"{self.api} : requête refusée (HTTP {status}) pour {what}"
                        f"{f' : {detail}' if detail else ''}. Vérifiez les paramètres de "
                        f"recherche ; ne pas relancer tel quel.",
                        api=self.api, status=status, tries=attempt,
                        payload=_payload(response),
                    )
                last_problem = f"HTTP {status}"
                wait = self._backoff(attempt)
                if status == 429:
                    retry_after = _retry_after(response.headers.get("Retry-After"))
                    if retry_after is not None:
                        if retry_after > self.max_retry_after:
                            raise ConnectorError(
                                f"{self.api} : quota de requêtes dépassé (HTTP 429) pour "
                                f"{what} ; l'API demande d'attendre {retry_after:.0f} s. "
                                f"Relancez l'import plus tard.",
                                api=self.api, status=status, tries=attempt,
                            )
                        wait = retry_after
            if attempt < self.max_tries:
                self.sleep(wait)
        status_code = _status_of(last_problem)
        raise ConnectorError(
            f"{self.api} : toujours en échec après {self.max_tries} essais pour {what} "
            f"(dernier : {last_problem}). Le service est peut-être indisponible ou "
            f"surchargé : réessayez plus tard ; si cela dure, vérifiez l'adresse "
            f"{self.base_url} et l'état du service.",
            api=self.api, status=status_code, tries=self.max_tries,
        )

    # -- internals ------------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One request whose whole answer must arrive within the read time-out."""
        connect, read = self.timeout
        response = self.session.request(method, url, timeout=(connect, read), stream=True,
                                        **kwargs)
        deadline = time.monotonic() + read
        chunks = []
        try:
            for chunk in _pieces(response.raw):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise requests.ReadTimeout(f"answer not complete after {read} s")
        except requests.RequestException:
            raise
        except urllib3.exceptions.ReadTimeoutError as error:
            raise requests.ReadTimeout(str(error)) from None
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise requests.ConnectionError(str(error)) from None
        finally:
            response.close()
        response._content = b"".join(chunks)  # .json() and .text read it from here
        return response

    def _backoff(self, attempt: int) -> float:
        return self.backoff * (2 ** (attempt - 1))

    def _decode(self, response: requests.Response, what: str) -> Any:
        if response.status_code == 204 or not response.content.strip():
            return None
        try:
            return response.json()
        except ValueError:
            raise ConnectorError(
                f"{self.api} : réponse illisible (JSON invalide) pour {what} "
                f"(HTTP {response.status_code}, début : « {_snippet(response.text)} »). "
                f"Réessayez plus tard ; si cela persiste, le format de l'API a peut-être "
                f"changé et le connecteur doit être mis à jour.",
                api=self.api, status=response.status_code,
            ) from None


def _pieces(raw: urllib3.HTTPResponse) -> Iterator[bytes]:
    """The body as it arrives (not in fixed blocks, which would wait for the whole block)."""
    if raw.chunked:
        yield from raw.stream(64 * 1024, decode_content=True)
        return
    while True:
        piece = raw.read1(64 * 1024, decode_content=True)
        if not piece:
            return
        yield piece


def _short(url: str) -> str:
    """The URL without its query string, which may hold search terms (never secrets here)."""
    return url.split("?", 1)[0]


def _snippet(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _payload(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _detail(response: requests.Response) -> str:
    payload = _payload(response)
    if isinstance(payload, dict):
        for key in ("message", "error_description", "error", "detail", "title"):
            value = payload.get(key)
            if isinstance(value, str) and value.strip():
                return _snippet(value, 200)
    return _snippet(response.text, 200) if response.text else ""


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _status_of(problem: str) -> int | None:
    if problem.startswith("HTTP "):
        return int(problem[5:])
    return None
