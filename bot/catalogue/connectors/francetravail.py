"""France Travail « Offres d'emploi v2 » API: job and apprenticeship offers around a commune.

What this follows (public documentation and code, read in 2026; not tried on the live API):

- Authentication: OAuth2 client credentials. `POST` to
  `https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire`
  (the realm goes in the query string, not the body) with a form body `grant_type=
  client_credentials`, `client_id`, `client_secret`, `scope=api_offresdemploiv2 o2dsoffre`;
  the answer is `{"access_token", "token_type": "Bearer", "expires_in", "scope"}`. Wrong
  credentials or scope answer 400 with `{"error": "invalid_client" | "invalid_scope", ...}`
  (« Générer un access token », Emploi Store Développeurs / francetravail.io).
- Search: `GET {api}/offres/search` (servers `https://api.francetravail.io/partenaire/
  offresdemploi`, path `/v2/offres/search`, operation `recupererListeOffre` of the OpenAPI
  file « Offres d'emploi » v2) with `commune` (INSEE code) and `distance`, or `departement`,
  `codeROME` (comma-separated), and `range=p-d`: at most 150 results a page, `p` ≤ 3000 and
  `d` ≤ 3149. A page that is not the last answers 206 Partial Content with
  `Content-Range: offres p-d/total` (and `Accept-Range: 150`); the last page answers 200; no
  result, or a range past the end, answers 204 with no body. The body is
  `{"resultats": [...], "filtresPossibles": [...]}`.
- An offer: `id`, `intitule`, `description`, `dateCreation`, `dateActualisation`,
  `lieuTravail{libelle, latitude, longitude, codePostal, commune}`, `romeCode`,
  `romeLibelle`, `appellationlibelle`, `entreprise{nom, ...}`, `typeContrat` (CDI, CDD, MIS
  for intérim, SAI for saisonnier, ...), `typeContratLibelle`, `natureContrat`,
  `experienceLibelle`, `formations[]`, `competences[]`, `qualitesProfessionnelles[]`,
  `permis[]`, `salaire{libelle, commentaire}`, `dureeTravailLibelleConverti`, `alternance`,
  `contact{nom, coordonnees1..3, telephone, courriel, urlPostulation, ...}`,
  `agence{telephone, courriel}`, `nombrePostes`, `origineOffre{origine, urlOrigine,
  partenaires[]}`.

Mapping: kind "job", or "apprenticeship" when `alternance` is true; source "francetravail";
source_id the offer `id`; commune the INSEE code `lieuTravail.commune` (an offer located only
by its département has none and is skipped, with a warning in the log).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import requests

from bot.catalogue.records import OfferRecord

from ._common import (
    build_record,
    dig,
    env_value,
    expect_type,
    https_url,
    join_lines,
    log,
    require_env,
)
from .http import ApiClient, ConnectorError

API = "France Travail (Offres d'emploi v2)"
SOURCE = "francetravail"
DEFAULT_TOKEN_URL = (
    "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire"
)
DEFAULT_API_URL = "https://api.francetravail.io/partenaire/offresdemploi/v2"
SCOPE = "api_offresdemploiv2 o2dsoffre"
ENV_CLIENT_ID = "FRANCETRAVAIL_CLIENT_ID"
ENV_CLIENT_SECRET = "FRANCETRAVAIL_CLIENT_SECRET"
ENV_TOKEN_URL = "FRANCETRAVAIL_TOKEN_URL"
ENV_API_URL = "FRANCETRAVAIL_API_URL"
PAGE_SIZE = 150  # the API refuses a wider range
LAST_INDEX = 3149  # the API refuses a range ending past this index
_HOW = ("Créez une application sur francetravail.io, abonnez-la à l'API « Offres d'emploi v2 » "
        f"et renseignez {ENV_CLIENT_ID} et {ENV_CLIENT_SECRET}.")
_CREDENTIALS = f"les variables {ENV_CLIENT_ID} et {ENV_CLIENT_SECRET}"

# typeContrat code -> contract type of the catalogue (others are kept in extra only)
CONTRACT_TYPES = {
    "CDI": "CDI",
    "CDD": "CDD",
    "DDI": "CDD",  # CDD d'insertion
    "MIS": "intérim",  # mission intérimaire
    "DIN": "intérim",  # CDI intérimaire
    "TTI": "intérim",  # contrat de travail temporaire d'insertion
    "SAI": "saisonnier",
}
_CONTENT_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)\s*/\s*(\d+|\*)")


class FranceTravailConnector:
    """Holds the token between pages; use `fetch()` below unless you need several searches."""

    def __init__(self, *, client_id: str, client_secret: str, base_url: str = DEFAULT_API_URL,
                 token_url: str = DEFAULT_TOKEN_URL, session: requests.Session | None = None,
                 sleep: Callable[[float], Any] = time.sleep,
                 timeout: tuple[float, float] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_url = token_url
        self.owns_session = session is None
        self.client = ApiClient(API, base_url, credentials_hint=_CREDENTIALS,
                                timeout=timeout, sleep=sleep,
                                session=session or requests.Session())
        self.clock = clock
        self._token: str | None = None
        self._token_expires = 0.0

    # -- authentication -------------------------------------------------------------------

    def token(self, *, renew: bool = False) -> str:
        if self._token and not renew and self.clock() < self._token_expires:
            return self._token
        try:
            response = self.client.post(self.token_url, data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "scope": SCOPE,
            })
        except ConnectorError as error:
            code = dig(error.payload, "error", default="")
            if error.status == 400 and code in ("invalid_client", "invalid_scope",
                                                "unauthorized_client"):
                why = ("identifiant client ou clé secrète refusés" if code != "invalid_scope"
                       else "application non abonnée à l'API « Offres d'emploi v2 »")
                raise ConnectorError(
                    f"{API} : jeton refusé (HTTP 400, {code} : {why}). Vérifiez "
                    f"{_CREDENTIALS} et l'abonnement de l'application sur francetravail.io.",
                    api=API, status=400, tries=error.tries, payload=error.payload,
                ) from None
            raise
        data = expect_type(response.data, dict, API, "la demande de jeton")
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise ConnectorError(
                f"{API} : la réponse du serveur de jetons ne contient pas d'access_token. "
                f"Vérifiez {ENV_TOKEN_URL} ({self.token_url.split('?')[0]}).",
                api=API, status=response.status,
            )
        lifetime = data.get("expires_in")
        lifetime = float(lifetime) if isinstance(lifetime, (int, float)) else 1200.0
        self._token = token
        self._token_expires = self.clock() + max(0.0, lifetime - 60)  # renew a minute early
        return token

    def _get(self, path: str, params: Any) -> Any:
        """GET with the bearer token; a 401 gets one new token (it may just have expired)."""
        for renew in (False, True):
            headers = {"Authorization": f"Bearer {self.token(renew=renew)}"}
            try:
                return self.client.get(path, params=params, headers=headers)
            except ConnectorError as error:
                if error.status != 401 or renew:
                    raise
                log.info("%s : jeton refusé (401), demande d'un nouveau jeton", API)
        raise AssertionError("unreachable")

    # -- search ---------------------------------------------------------------------------

    def search(self, *, commune: str | Sequence[str] | None = None,
               departement: str | Sequence[str] | None = None,
               rome_codes: Sequence[str] = (), distance_km: int | None = None,
               extra_params: Mapping[str, Any] | None = None,
               page_size: int = PAGE_SIZE) -> Iterator[dict[str, Any]]:
        """The raw offers of every page, in the API's order."""
        if not commune and not departement:
            raise ConnectorError(f"{API} : indiquez une commune (code INSEE) ou un département "
                                 f"pour la recherche.", api=API)
        if not 1 <= page_size <= PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {PAGE_SIZE}")
        params: dict[str, Any] = dict(extra_params or {})
        if commune:
            params["commune"] = _csv(commune)
            if distance_km is not None:
                params["distance"] = int(distance_km)
        if departement:
            params["departement"] = _csv(departement)
        if rome_codes:
            params["codeROME"] = _csv(rome_codes)
        start = 0
        while start <= LAST_INDEX:
            end = min(start + page_size - 1, LAST_INDEX)
            response = self._get("offres/search", {**params, "range": f"{start}-{end}"})
            if response.status == 204 or response.data is None:
                return
            body = expect_type(response.data, dict, API, "la recherche d'offres")
            offers = expect_type(body.get("resultats") or [], list, API, "resultats")
            yield from (offer for offer in offers if isinstance(offer, dict))
            if response.status != 206 or not offers:
                return  # 200: last page
            total = _total(response.headers.get("Content-Range"))
            start = end + 1
            if total is not None and start >= total:
                return
            if start > LAST_INDEX and (total is None or total > LAST_INDEX + 1):
                log.warning("%s : %s offres trouvées, l'API n'en donne que %d ; affinez la "
                            "recherche (codes ROME, commune)", API, total or "plus de 3150",
                            LAST_INDEX + 1)

    def fetch(self, **criteria: Any) -> Iterator[OfferRecord]:
        seen: set[str] = set()
        try:
            for offer in self.search(**criteria):
                record = map_offer(offer)
                if record and record.source_id not in seen:
                    seen.add(record.source_id)
                    yield record
        finally:
            if self.owns_session:
                self.client.close()


def fetch(*, commune: str | Sequence[str] | None = None,
          departement: str | Sequence[str] | None = None, rome_codes: Sequence[str] = (),
          distance_km: int | None = None, extra_params: Mapping[str, Any] | None = None,
          page_size: int = PAGE_SIZE, base_url: str | None = None,
          token_url: str | None = None, env: Mapping[str, str] | None = None,
          session: requests.Session | None = None,
          sleep: Callable[[float], Any] = time.sleep,
          timeout: tuple[float, float] | None = None) -> Iterator[OfferRecord]:
    """France Travail offers around a commune (INSEE code) or in a département.

    Credentials come from FRANCETRAVAIL_CLIENT_ID and FRANCETRAVAIL_CLIENT_SECRET (read from
    `env`, default os.environ) and are checked now; the URLs from FRANCETRAVAIL_API_URL and
    FRANCETRAVAIL_TOKEN_URL, unless `base_url` / `token_url` are given. Requests are made as
    the iterator is consumed.
    """
    connector = FranceTravailConnector(
        client_id=require_env(env, ENV_CLIENT_ID, API, _HOW),
        client_secret=require_env(env, ENV_CLIENT_SECRET, API, _HOW),
        base_url=base_url or env_value(env, ENV_API_URL, DEFAULT_API_URL),
        token_url=token_url or env_value(env, ENV_TOKEN_URL, DEFAULT_TOKEN_URL),
        session=session, sleep=sleep, timeout=timeout,
    )
    if not commune and not departement:
        raise ConnectorError(f"{API} : indiquez une commune (code INSEE) ou un département "
                             f"pour la recherche.", api=API)
    return connector.fetch(commune=commune, departement=departement, rome_codes=rome_codes,
                           distance_km=distance_km, extra_params=extra_params,
                           page_size=page_size)


# -- mapping --------------------------------------------------------------------------------


def map_offer(offer: Mapping[str, Any]) -> OfferRecord | None:
    """One offer of `resultats` as an OfferRecord, or None (logged) when it cannot be one."""
    offer_id = str(offer.get("id") or "").strip()
    commune = str(dig(offer, "lieuTravail", "commune", default="")).strip()
    if offer_id and not commune:
        log.warning("%s : offre %s ignorée (lieu de travail sans commune : « %s »)", API,
                    offer_id, dig(offer, "lieuTravail", "libelle", default="?"))
        return None
    apprenticeship = offer.get("alternance") is True
    code = str(offer.get("typeContrat") or "").strip().upper()
    nature = str(offer.get("natureContrat") or "")
    if apprenticeship:
        contract = ("contrat de professionnalisation" if "professionnalisation" in nature.lower()
                    else "apprentissage")
    else:
        contract = CONTRACT_TYPES.get(code)
    row = {
        "source": SOURCE,
        "source_id": offer_id,
        "kind": "apprenticeship" if apprenticeship else "job",
        "title": offer.get("intitule"),
        "organisation": dig(offer, "entreprise", "nom", default="") or "Entreprise non communiquée",
        "commune": commune,
        "trade": offer.get("appellationlibelle") or offer.get("romeLibelle"),
        "rome": offer.get("romeCode"),
        "contract_type": contract,
        "description": offer.get("description"),
        "requirements": _requirements(offer),
        "how_to_apply": _how_to_apply(offer),
        "url": https_url(dig(offer, "origineOffre", "urlOrigine"))
        or https_url(dig(offer, "contact", "urlPostulation")),
        "places_available": offer.get("nombrePostes"),
    }
    extra = {
        "published_at": offer.get("dateCreation"),
        "updated_at": offer.get("dateActualisation"),
        "place_label": dig(offer, "lieuTravail", "libelle"),
        "postcode": dig(offer, "lieuTravail", "codePostal"),
        "latitude": dig(offer, "lieuTravail", "latitude"),
        "longitude": dig(offer, "lieuTravail", "longitude"),
        "contract_code": code,
        "contract_label": offer.get("typeContratLibelle"),
        "contract_nature": nature,
        "working_time": offer.get("dureeTravailLibelleConverti")
        or offer.get("dureeTravailLibelle"),
        "salary": dig(offer, "salaire", "libelle") or dig(offer, "salaire", "commentaire"),
        "experience": offer.get("experienceLibelle"),
        "origin": dig(offer, "origineOffre", "origine"),
        "partners": [p.get("nom") for p in dig(offer, "origineOffre", "partenaires", default=[])
                     if isinstance(p, dict) and p.get("nom")],
    }
    return build_record(row, extra, API)


def _requirements(offer: Mapping[str, Any]) -> str:
    lines = []
    if offer.get("experienceLibelle"):
        lines.append(f"Expérience : {offer['experienceLibelle']}")
    for item in _items(offer, "formations"):
        text = " – ".join(str(item[k]) for k in ("niveauLibelle", "domaineLibelle", "commentaire")
                          if item.get(k))
        if text:
            lines.append(f"Formation : {text}")
    for key, label in (("permis", "Permis"), ("competences", "Compétence"),
                       ("qualitesProfessionnelles", "Qualité")):
        for item in _items(offer, key):
            if item.get("libelle"):
                lines.append(f"{label} : {item['libelle']}")
    return join_lines(*lines)


def _how_to_apply(offer: Mapping[str, Any]) -> str:
    contact = offer.get("contact") if isinstance(offer.get("contact"), dict) else {}
    agence = offer.get("agence") if isinstance(offer.get("agence"), dict) else {}
    lines = []
    if contact.get("urlPostulation"):
        lines.append(f"Postuler en ligne : {contact['urlPostulation']}")
    if contact.get("courriel"):
        # sometimes not an address but "Pour postuler, utiliser le lien suivant : https://..."
        courriel = str(contact["courriel"]).strip()
        lines.append(f"Par e-mail : {courriel}" if "@" in courriel and " " not in courriel
                     else courriel)
    if contact.get("telephone"):
        lines.append(f"Par téléphone : {contact['telephone']}")
    address = join_lines(*(contact.get(f"coordonnees{i}") for i in (1, 2, 3)), sep=", ")
    if address:
        lines.append(f"Par courrier : {address}")
    if contact.get("commentaire"):
        lines.append(str(contact["commentaire"]))
    if not lines and (agence.get("courriel") or agence.get("telephone")):
        lines.append("Contacter l'agence France Travail : "
                     + join_lines(agence.get("courriel"), agence.get("telephone"), sep=", "))
    if not lines and dig(offer, "origineOffre", "urlOrigine"):
        lines.append(f"Voir l'offre : {offer['origineOffre']['urlOrigine']}")
    return join_lines(*lines)


def _items(offer: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = offer.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _csv(value: str | Sequence[str]) -> str:
    if isinstance(value, str):
        return value
    return ",".join(str(v).strip() for v in value if str(v).strip())


def _total(content_range: str | None) -> int | None:
    """1234 from "offres 0-149/1234"."""
    match = _CONTENT_RANGE.search(content_range or "")
    if not match or match.group(3) == "*":
        return None
    return int(match.group(3))
