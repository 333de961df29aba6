"""Immersion facilitée: establishments open to immersions (PMSMP) around a point.

What this follows (the open-source code of the service, gip-inclusion/immersion-facile:
`publicApiV2.routes.ts`, `SearchParamsPublicV2.schema.ts`, `searchImmersionResultPublicV2.
schema.ts`, `createOpenApiV2.ts` and their end-to-end tests, read in 2026; not tried on the
live API):

- Base URL `https://immersion-facile.beta.gouv.fr/api`; the API key goes as is in the
  `Authorization` header (« Pas besoin de 'Bearer xxx', juste 'xxx' »). No key: 401
  `{"message": "unauthenticated", "status": 401}`; a key without the right: 403
  « Accès refusé »; too many calls: 429 « Too many requests, please try again later. ».
- Search: `GET /v2/search` with `latitude`, `longitude`, `distanceKm` (required),
  `appellationCodes[]` (repeated, ROME appellation codes of 5 digits), `sortedBy`
  (`distance` or `date`), `voluntaryToImmersion` (true: only establishments that signed up),
  `establishmentSearchableBy` (`students` or `jobSeekers`). Older versions also took `rome`
  (documented in createOpenApiV2.ts); recent schemas no longer list it, so when `rome` is
  given the results are also filtered here on their `rome`. No pagination: the answer is
  a JSON array of `{rome, romeLabel, appellations[{appellationCode, appellationLabel}], naf,
  nafLabel, siret, name, customizedName, voluntaryToImmersion, position{lat, lon},
  address{streetNumberAndAddress, postcode, departmentCode, city}, contactMode (EMAIL, PHONE,
  IN_PERSON), distance_m, numberOfEmployeeRange, website, additionalInformation,
  fitForDisabledWorkers, urlOfPartner, establishmentScore, createdAt, updatedAt,
  locationId}`. (A v3 API exists for contact and single offers; search stays on v2 here.)

Mapping: kind "immersion", contract type "PMSMP", source "immersionfacile", source_id
"<siret>-<rome>" (one record per establishment and ROME code; the first location wins).
The API gives no INSEE code: the commune is `address.city`, resolved later like any name.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import requests

from bot.catalogue.records import OfferRecord

from ._common import build_record, dig, env_value, expect_type, https_url, join_lines, require_env
from .http import ApiClient, ConnectorError

API = "Immersion facilitée"
SOURCE = "immersionfacile"
DEFAULT_API_URL = "https://immersion-facile.beta.gouv.fr/api"
ENV_API_URL = "IMMERSION_API_URL"
ENV_API_KEY = "IMMERSION_API_KEY"
_HOW = ("Demandez une clé d'API à l'équipe Immersion facilitée (immersion-facile.beta.gouv.fr) "
        f"et renseignez {ENV_API_KEY}.")

CONTACT_MODES = {
    "EMAIL": "Demande de mise en relation par e-mail, depuis Immersion facilitée "
             "(immersion-facile.beta.gouv.fr).",
    "PHONE": "Demande de mise en relation depuis Immersion facilitée : vous recevrez le "
             "téléphone de la personne à contacter dans l'entreprise.",
    "IN_PERSON": "Demande de mise en relation depuis Immersion facilitée : vous recevrez le "
                 "nom de la personne à rencontrer et l'adresse où vous présenter.",
}


def fetch(*, latitude: float, longitude: float, distance_km: float = 10,
          appellation_codes: Sequence[str] = (), rome: str | None = None,
          sorted_by: str = "distance", voluntary_to_immersion: bool | None = None,
          searchable_by: str | None = None, base_url: str | None = None,
          env: Mapping[str, str] | None = None, session: requests.Session | None = None,
          sleep: Callable[[float], Any] = time.sleep,
          timeout: tuple[float, float] | None = None) -> Iterator[OfferRecord]:
    """Establishments open to immersion around a point, for appellation codes or a ROME code.

    The key comes from IMMERSION_API_KEY (read from `env`, default os.environ) and is checked
    now; the base URL from IMMERSION_API_URL unless `base_url` is given. The request is made
    as the iterator is consumed.
    """
    key = require_env(env, ENV_API_KEY, API, _HOW)
    if sorted_by not in ("distance", "date"):
        raise ConnectorError(f"{API} : tri « {sorted_by} » inconnu (distance ou date).", api=API)
    client = ApiClient(
        API, base_url or env_value(env, ENV_API_URL, DEFAULT_API_URL),
        credentials_hint=f"la variable {ENV_API_KEY} (clé d'API Immersion facilitée)",
        headers={"Authorization": key}, timeout=timeout, sleep=sleep,
        session=session or requests.Session(),
    )
    params: list[tuple[str, Any]] = [
        ("latitude", latitude), ("longitude", longitude), ("distanceKm", distance_km),
        ("sortedBy", sorted_by),
    ]
    params += [("appellationCodes[]", code) for code in appellation_codes]
    rome = rome.strip().upper() if rome else None
    if rome:
        params.append(("rome", rome))
    if voluntary_to_immersion is not None:
        params.append(("voluntaryToImmersion", "true" if voluntary_to_immersion else "false"))
    if searchable_by:
        params.append(("establishmentSearchableBy", searchable_by))
    return _fetch(client, params, rome, close=session is None)


def _fetch(client: ApiClient, params: list[tuple[str, Any]], rome: str | None,
           close: bool) -> Iterator[OfferRecord]:
    try:
        response = client.get("v2/search", params=params)
    finally:
        if close:
            client.close()
    results = expect_type(response.data or [], list, API, "la recherche d'entreprises")
    seen: set[str] = set()
    for result in results:
        if not isinstance(result, dict) or (rome and result.get("rome") != rome):
            continue
        record = map_result(result)
        if record and record.source_id not in seen:
            seen.add(record.source_id)
            yield record


def map_result(result: Mapping[str, Any]) -> OfferRecord | None:
    siret = str(result.get("siret") or "").strip()
    rome = str(result.get("rome") or "").strip()
    appellations = [a for a in result.get("appellations") or [] if isinstance(a, dict)]
    labels = [str(a["appellationLabel"]) for a in appellations if a.get("appellationLabel")]
    rome_label = result.get("romeLabel") or ""
    address = result.get("address") if isinstance(result.get("address"), dict) else {}
    street = join_lines(address.get("streetNumberAndAddress"),
                        join_lines(address.get("postcode"), address.get("city"), sep=" "),
                        sep=", ")
    details = [
        result.get("additionalInformation"),
        f"Métiers à découvrir : {', '.join(labels)}." if labels else None,
        f"Activité : {result['nafLabel']}." if result.get("nafLabel") else None,
        f"Effectif : {result['numberOfEmployeeRange']} salariés."
        if result.get("numberOfEmployeeRange") else None,
        f"Adresse : {street}." if street else None,
        "Entreprise accueillante référencée sur Immersion facilitée."
        if result.get("voluntaryToImmersion") else None,
        "Accueil adapté aux personnes en situation de handicap."
        if result.get("fitForDisabledWorkers") else None,
    ]
    url = https_url(result.get("urlOfPartner")) or https_url(result.get("website"))
    contact = CONTACT_MODES.get(str(result.get("contactMode") or ""))
    if not contact:
        contact = ("Entreprise non référencée : candidature spontanée, ou demande de mise en "
                   "relation depuis Immersion facilitée.")
    row = {
        "source": SOURCE,
        "source_id": f"{siret}-{rome}" if siret and rome else "",
        "kind": "immersion",
        "title": f"Immersion : {rome_label or (labels[0] if labels else rome)}",
        "organisation": result.get("customizedName") or result.get("name"),
        "commune": address.get("city"),
        "trade": labels[0] if labels else rome_label or None,
        "rome": rome,
        "contract_type": "PMSMP",
        "description": join_lines(*details),
        "how_to_apply": contact,
        "url": url,
    }
    position = result.get("position") if isinstance(result.get("position"), dict) else {}
    extra = {
        "siret": siret,
        "appellations": appellations,
        "naf": result.get("naf"),
        "postcode": address.get("postcode"),
        "department": address.get("departmentCode"),
        "street": address.get("streetNumberAndAddress"),
        "latitude": position.get("lat"),
        "longitude": position.get("lon"),
        "distance_m": result.get("distance_m"),
        "contact_mode": result.get("contactMode"),
        "voluntary": result.get("voluntaryToImmersion"),
        "location_id": result.get("locationId"),
        "website": result.get("website") if not url else None,
        "updated_at": result.get("updatedAt"),
        "score": dig(result, "establishmentScore"),
    }
    return build_record(row, extra, API)
