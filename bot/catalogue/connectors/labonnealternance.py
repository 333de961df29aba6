"""La bonne alternance, through the « API Alternance » (api.apprentissage.beta.gouv.fr).

What this follows (the open-source code of the API and its SDK, mission-apprentissage/
api-apprentissage and mission-apprentissage/labonnealternance, and the data.gouv.fr page
« API Alternance », read in 2026; not tried on the live API):

- Base URL `https://api.apprentissage.beta.gouv.fr/api`; every call carries
  `Authorization: Bearer <jeton>` (a key made on the API's site; a missing or wrong key
  answers 401 « Vous devez fournir une clé d'API valide pour accéder à cette ressource »).
- Jobs: `GET /job/v1/search` with `latitude`, `longitude`, `radius` (km, 0 to 200, default
  30), `romes` (comma-separated ROME codes), optionally `rncp`, `target_diploma_level`.
  No pagination. The answer is `{"jobs": [...], "recruiters": [...], "warnings": [...]}`;
  a job is `{identifier{id, partner_label, partner_job_id}, workplace{siret, brand,
  legal_name, name, website, description, size, location{address, geopoint}, domain{...}},
  apply{url, phone, recipient_id}, contract{start, duration, type[], remote},
  offer{title, rome_codes[], description, target_diploma{european, label}, desired_skills[],
  to_be_acquired_skills[], access_conditions[], publication{creation, expiration},
  opening_count, status}}` (older answers put the address in `workplace.address.label` and
  the dates in `offer.creation` / `offer.expiration`: both are read). `recruiters` are
  companies likely to hire without a published offer: not offers, so not imported.
- Trainings: `GET /formation/v1/search` with the same place and ROME parameters and
  `page_index` (from 0) / `page_size` (1 to 1000); the answer is `{"data": [...],
  "pagination": {"page_count", "page_size", "page_index"}}`; a training is
  `{identifiant{cle_ministere_educatif}, statut, formateur{organisme, connu},
  responsable{organisme, connu}, certification{valeur{identifiant, intitule{cfd{long,
  court}, rncp, niveau}, domaines{rome{rncp[]}}, ...}}, lieu{adresse{label, code_postal,
  commune{nom, code_insee}, ...}, geolocalisation, siret, uai}, contact{email, telephone},
  onisep{url, intitule, ...}, modalite{...}, contenu_educatif{contenu, objectif},
  sessions[{debut, fin, capacite}]}`; an organisme has `etablissement{enseigne, ...}` and
  `unite_legale{raison_sociale, ...}`.

Mapping: jobs are kind "apprenticeship", trainings kind "training"; source
"labonnealternance". A job has no INSEE code: its commune is the town read from its address
(« ... 63300 Thiers » gives « Thiers »), resolved later like any commune name. A training's
commune is the INSEE code of its place.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import requests

from bot.catalogue.records import OfferRecord

from ._common import (
    build_record,
    city_from_address,
    dig,
    env_value,
    expect_type,
    https_url,
    join_lines,
    log,
    require_env,
)
from .http import ApiClient, ConnectorError

API = "La bonne alternance (API Alternance)"
SOURCE = "labonnealternance"
DEFAULT_API_URL = "https://api.apprentissage.beta.gouv.fr/api"
ENV_API_URL = "LBA_API_URL"
ENV_TOKEN = "LBA_API_TOKEN"
MAX_RADIUS_KM = 200
ROMES_PER_CALL = 20  # La bonne alternance has long capped ROME codes per search at 20
TRAINING_PAGE_SIZE = 100
MAX_TRAINING_PAGES = 50
_HOW = ("Créez un jeton d'API sur le site api.apprentissage.beta.gouv.fr et renseignez "
        f"{ENV_TOKEN}.")


def fetch(*, latitude: float, longitude: float, radius_km: int = 30,
          rome_codes: Sequence[str] = (), rncp: str | None = None,
          target_diploma_level: str | None = None, jobs: bool = True, trainings: bool = True,
          training_page_size: int = TRAINING_PAGE_SIZE, base_url: str | None = None,
          env: Mapping[str, str] | None = None, session: requests.Session | None = None,
          sleep: Callable[[float], Any] = time.sleep,
          timeout: tuple[float, float] | None = None,
          today: date | None = None) -> Iterator[OfferRecord]:
    """Apprenticeship jobs, then apprenticeship trainings, around a point.

    The token comes from LBA_API_TOKEN (read from `env`, default os.environ) and is checked
    now; the base URL from LBA_API_URL unless `base_url` is given. Requests are made as the
    iterator is consumed.
    """
    token = require_env(env, ENV_TOKEN, API, _HOW)
    if not 0 <= radius_km <= MAX_RADIUS_KM:
        raise ConnectorError(f"{API} : rayon de {radius_km} km impossible (0 à "
                             f"{MAX_RADIUS_KM} km).", api=API)
    client = ApiClient(
        API, base_url or env_value(env, ENV_API_URL, DEFAULT_API_URL),
        credentials_hint=f"la variable {ENV_TOKEN} (jeton de l'API Alternance)",
        headers={"Authorization": f"Bearer {token}"}, timeout=timeout, sleep=sleep,
        session=session or requests.Session(),
    )
    place = {"latitude": latitude, "longitude": longitude, "radius": radius_km}
    if target_diploma_level:
        place["target_diploma_level"] = target_diploma_level
    records = _fetch(client, place, [c.strip().upper() for c in rome_codes if c.strip()],
                     rncp, jobs, trainings, training_page_size, today or date.today())
    return _closing(records, client if session is None else None)


def _closing(records: Iterator[OfferRecord], client: ApiClient | None) -> Iterator[OfferRecord]:
    try:
        yield from records
    finally:
        if client is not None:
            client.close()


def _fetch(client: ApiClient, place: dict[str, Any], romes: list[str], rncp: str | None,
           jobs: bool, trainings: bool, page_size: int, today: date) -> Iterator[OfferRecord]:
    seen: set[tuple[str, str]] = set()
    # Without any ROME code, one call for everything around the point.
    chunks = [romes[i:i + ROMES_PER_CALL] for i in range(0, len(romes), ROMES_PER_CALL)] or [[]]
    for chunk in chunks:
        params = dict(place)
        if chunk:
            params["romes"] = ",".join(chunk)
        if rncp:
            params["rncp"] = rncp
        if jobs:
            response = client.get("job/v1/search", params=params)
            body = expect_type(response.data or {}, dict, API, "la recherche d'offres")
            for warning in body.get("warnings") or []:
                if isinstance(warning, dict):
                    log.warning("%s : avertissement de l'API : %s (%s)", API,
                                warning.get("message"), warning.get("code"))
            for job in expect_type(body.get("jobs") or [], list, API, "jobs"):
                record = map_job(job) if isinstance(job, dict) else None
                if record and ("job", record.source_id) not in seen:
                    seen.add(("job", record.source_id))
                    yield record
        if trainings:
            for page in range(MAX_TRAINING_PAGES):
                response = client.get("formation/v1/search", params={
                    **params, "page_index": page, "page_size": page_size})
                body = expect_type(response.data or {}, dict, API, "la recherche de formations")
                for training in expect_type(body.get("data") or [], list, API, "data"):
                    record = map_training(training, today) if isinstance(training, dict) else None
                    if record and ("training", record.source_id) not in seen:
                        seen.add(("training", record.source_id))
                        yield record
                page_count = dig(body, "pagination", "page_count", default=1)
                if not isinstance(page_count, int) or page + 1 >= page_count:
                    break


# -- mapping --------------------------------------------------------------------------------


def map_job(job: Mapping[str, Any]) -> OfferRecord | None:
    job_id = str(dig(job, "identifier", "id", default="")).strip()
    workplace = job.get("workplace") if isinstance(job.get("workplace"), dict) else {}
    address = (dig(workplace, "location", "address") or dig(workplace, "address", "label")
               or "")
    postcode, city = city_from_address(str(address))
    commune = city or str(address).strip()
    if job_id and not commune:
        log.warning("%s : offre %s ignorée (adresse du lieu de travail absente)", API, job_id)
        return None
    types = [str(t) for t in dig(job, "contract", "type", default=[]) if t]
    contract = ("apprentissage" if not types or "Apprentissage" in types
                else "contrat de professionnalisation")
    offer = job.get("offer") if isinstance(job.get("offer"), dict) else {}
    romes = [str(r) for r in offer.get("rome_codes") or [] if r]
    coordinates = dig(workplace, "location", "geopoint", "coordinates") or dig(
        workplace, "geopoint", "coordinates")
    apply_url = https_url(dig(job, "apply", "url"))
    row = {
        "source": SOURCE,
        "source_id": job_id,
        "kind": "apprenticeship",
        "title": offer.get("title"),
        "organisation": workplace.get("name") or workplace.get("brand")
        or workplace.get("legal_name") or "Entreprise non communiquée",
        "commune": commune,
        "rome": romes[0] if romes else None,
        "contract_type": contract,
        "start_date": dig(job, "contract", "start"),
        "expires_on": dig(offer, "publication", "expiration") or offer.get("expiration"),
        "description": join_lines(offer.get("description"), _bullets(
            "Compétences que vous allez acquérir", offer.get("to_be_acquired_skills")),
            sep="\n\n"),
        "requirements": join_lines(
            f"Diplôme préparé : {dig(offer, 'target_diploma', 'label')}"
            if dig(offer, "target_diploma", "label") else None,
            _bullets("Qualités attendues", offer.get("desired_skills")),
            _bullets("Conditions d'accès", offer.get("access_conditions"))),
        "how_to_apply": join_lines(
            f"Postuler en ligne : {apply_url}" if apply_url else None,
            f"Par téléphone : {dig(job, 'apply', 'phone')}" if dig(job, "apply", "phone")
            else None),
        "url": apply_url,
        "places_available": offer.get("opening_count"),
    }
    extra = {
        "published_at": dig(offer, "publication", "creation") or offer.get("creation"),
        "partner_label": dig(job, "identifier", "partner_label"),
        "partner_job_id": dig(job, "identifier", "partner_job_id"),
        "siret": workplace.get("siret"),
        "address": address,
        "postcode": postcode,
        "longitude": coordinates[0] if isinstance(coordinates, list) and coordinates else None,
        "latitude": coordinates[1] if isinstance(coordinates, list) and len(coordinates) > 1
        else None,
        "rome_codes": romes,
        "contract_types": types,
        "contract_duration_months": dig(job, "contract", "duration"),
        "remote": dig(job, "contract", "remote"),
        "target_diploma_level": dig(offer, "target_diploma", "european"),
    }
    return build_record(row, extra, API)


def map_training(training: Mapping[str, Any], today: date) -> OfferRecord | None:
    key = str(dig(training, "identifiant", "cle_ministere_educatif", default="")).strip()
    if dig(training, "statut", "catalogue", default="publié") != "publié":
        return None
    certification = dig(training, "certification", "valeur", default={})
    title = (dig(certification, "intitule", "cfd", "long") or dig(certification, "intitule", "rncp")
             or dig(training, "onisep", "intitule"))
    organisme = (dig(training, "formateur", "organisme")
                 or dig(training, "responsable", "organisme") or {})
    organisation = (dig(organisme, "etablissement", "enseigne")
                    or dig(organisme, "unite_legale", "raison_sociale"))
    commune = dig(training, "lieu", "adresse", "commune", "code_insee")
    session = _next_session(training.get("sessions"), today)
    romes = [str(r.get("code")) for r in dig(certification, "domaines", "rome", "rncp",
                                              default=[]) if isinstance(r, dict) and r.get("code")]
    email = dig(training, "contact", "email")
    phone = dig(training, "contact", "telephone")
    row = {
        "source": SOURCE,
        "source_id": key,
        "kind": "training",
        "title": title,
        "organisation": organisation,
        "commune": commune,
        "rome": romes[0] if romes else None,
        "contract_type": "apprentissage",
        "start_date": session.get("debut"),
        "end_date": session.get("fin"),
        "description": join_lines(dig(training, "contenu_educatif", "objectif"),
                                  dig(training, "contenu_educatif", "contenu"), sep="\n\n"),
        "requirements": _level(certification),
        "how_to_apply": join_lines(
            "Contacter le centre de formation (CFA) :",
            f"Par e-mail : {email}" if email else None,
            f"Par téléphone : {phone}" if phone else None,
        ) if email or phone else "",
        "url": https_url(dig(training, "onisep", "url")),
        "places_available": session.get("capacite"),
    }
    geo = dig(training, "lieu", "geolocalisation", "coordinates")
    extra = {
        "address": dig(training, "lieu", "adresse", "label"),
        "postcode": dig(training, "lieu", "adresse", "code_postal"),
        "commune_name": dig(training, "lieu", "adresse", "commune", "nom"),
        "longitude": geo[0] if isinstance(geo, list) and geo else None,
        "latitude": geo[1] if isinstance(geo, list) and len(geo) > 1 else None,
        "siret": dig(training, "lieu", "siret") or dig(organisme, "identifiant", "siret"),
        "uai": dig(training, "lieu", "uai"),
        "cfd": dig(certification, "identifiant", "cfd"),
        "rncp": dig(certification, "identifiant", "rncp"),
        "rome_codes": romes,
        "diploma_level": dig(certification, "intitule", "niveau", "cfd", "europeen")
        or dig(certification, "intitule", "niveau", "rncp", "europeen"),
        "duration_years": dig(training, "modalite", "duree_indicative"),
        "fully_remote": dig(training, "modalite", "entierement_a_distance"),
        "sessions": training.get("sessions"),
    }
    return build_record(row, extra, API)


def _next_session(sessions: Any, today: date) -> dict[str, Any]:
    """The first session not over yet, else the last one; {} when there is none."""
    valid = sorted((s for s in sessions or [] if isinstance(s, dict) and s.get("debut")),
                   key=lambda s: str(s["debut"]))
    for session in valid:
        if str(session.get("fin") or session["debut"])[:10] >= today.isoformat():
            return session
    return valid[-1] if valid else {}


def _level(certification: Mapping[str, Any]) -> str:
    level = dig(certification, "intitule", "niveau", "cfd", "libelle") or dig(
        certification, "intitule", "niveau", "cfd", "sigle")
    european = dig(certification, "intitule", "niveau", "cfd", "europeen") or dig(
        certification, "intitule", "niveau", "rncp", "europeen")
    parts = [f"Diplôme : {level}" if level else None,
             f"niveau européen {european}" if european else None]
    return join_lines(*parts, sep=", ")


def _bullets(title: str, items: Any) -> str | None:
    lines = [f"- {item}" for item in items or [] if isinstance(item, str) and item.strip()]
    return join_lines(f"{title} :", *lines) if lines else None
