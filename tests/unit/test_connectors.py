"""Connectors against a real local HTTP server replaying recorded API responses.

The server (http.server in a thread, on 127.0.0.1 and a free port) answers each path with the
responses a test scripts for it, read from tests/fixtures/connectors/*.json, and records every
request so that tests can count them and look at their parameters and headers.
"""

from __future__ import annotations

import logging
import socket
from collections import deque
from datetime import date
from typing import Any

import pytest

from bot.catalogue.connectors import francetravail, immersion, labonnealternance
from bot.catalogue.connectors.http import ApiClient, ConnectorError
from bot.catalogue.records import OfferRecord
from tests.support.replay import ReplayServer, fixture

FT_TOKEN_PATH = "/connexion/oauth2/access_token"
FT_SEARCH_PATH = "/partenaire/offresdemploi/v2/offres/search"
THIERS = {"latitude": 45.8564, "longitude": 3.5477}
MONTBRISON = {"latitude": 45.6075, "longitude": 4.0653}


@pytest.fixture
def server():
    replay = ReplayServer()
    yield replay
    replay.close()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def by_id(records: list[OfferRecord]) -> dict[str, OfferRecord]:
    return {r.source_id: r for r in records}


# -- France Travail -------------------------------------------------------------------------


@pytest.fixture
def ft_env(monkeypatch, server):
    monkeypatch.setenv("FRANCETRAVAIL_CLIENT_ID", "PAR_indy_0123456789abcdef")
    monkeypatch.setenv("FRANCETRAVAIL_CLIENT_SECRET", "s3cr3t-de-test")
    monkeypatch.setenv("FRANCETRAVAIL_TOKEN_URL",
                       f"{server.url}{FT_TOKEN_PATH}?realm=%2Fpartenaire")
    monkeypatch.setenv("FRANCETRAVAIL_API_URL", f"{server.url}/partenaire/offresdemploi/v2")


def test_francetravail_pages_through_206_then_200_and_maps_offers(server, ft_env, sleeps,
                                                                     caplog):
    server.script(FT_TOKEN_PATH, "francetravail_token")
    server.script(FT_SEARCH_PATH, "francetravail_search_thiers_page1",
                  "francetravail_search_thiers_page2")
    with caplog.at_level(logging.WARNING):
        records = list(francetravail.fetch(commune="63430", distance_km=10,
                                           rome_codes=["H2903", "I1304"], page_size=2,
                                           sleep=sleeps.append))

    # one token for both pages, then two pages: 0-1 (206) and 2-3 (200)
    assert [r.path for r in server.requests] == [FT_TOKEN_PATH, FT_SEARCH_PATH, FT_SEARCH_PATH]
    token_request = server.requests[0]
    assert token_request.method == "POST"
    assert token_request.param("realm") == "/partenaire"
    assert token_request.form == {
        "grant_type": "client_credentials", "client_id": "PAR_indy_0123456789abcdef",
        "client_secret": "s3cr3t-de-test", "scope": "api_offresdemploiv2 o2dsoffre",
    }
    pages = server.requests_to(FT_SEARCH_PATH)
    assert [p.param("range") for p in pages] == ["0-1", "2-3"]
    for page in pages:
        assert page.headers["Authorization"] == "Bearer tok-ft-8d2e6c1a-0b7f-4e55-9a31-2f6d0c9e4b17"
        assert page.param("commune") == "63430"
        assert page.param("distance") == "10"
        assert page.param("codeROME") == "H2903,I1304"
    assert sleeps == []

    # 4 offers, one located only by its département: skipped and logged
    assert [r.source_id for r in records] == ["187XKTM", "187XLBD", "187WQZR"]
    assert "187VMNA" in caplog.text and "sans commune" in caplog.text
    offers = by_id(records)

    job = offers["187XKTM"]
    assert (job.source, job.kind, job.commune, job.rome) == ("francetravail", "job", "63430",
                                                             "H2903")
    assert job.title == "Régleur / Régleuse sur machine-outil (H/F)"
    assert job.organisation == "FORGES ET LAMES DE LA DUROLLE"
    assert job.trade == "Régleur / Régleuse sur machine-outil"
    assert job.contract_type == "CDI"
    assert job.url == "https://candidat.francetravail.fr/offres/recherche/detail/187XKTM"
    assert job.places_available == 1
    assert job.description.startswith("Au sein de notre atelier d'usinage")
    assert "Expérience : 2 ans - en usinage sur commande numérique" in job.requirements
    assert "Formation : Bac ou équivalent – Usinage" in job.requirements
    assert "Qualité : Faire preuve de rigueur et de précision" in job.requirements
    assert job.how_to_apply.splitlines() == [
        "Pour postuler, utiliser le lien suivant : "
        "https://candidat.francetravail.fr/offres/recherche/detail/187XKTM",
        "Par courrier : Zone industrielle de Felet, 63300 THIERS",
    ]
    assert job.extra["postcode"] == "63300"
    assert job.extra["published_at"] == "2026-11-20T09:12:44.000Z"
    assert job.extra["salary"] == "Mensuel de 2100.0 Euros à 2400.0 Euros sur 13 mois"

    apprentice = offers["187XLBD"]
    assert apprentice.kind == "apprenticeship"
    assert apprentice.contract_type == "apprentissage"
    assert apprentice.places_available == 2
    assert apprentice.how_to_apply.splitlines()[:3] == [
        "Postuler en ligne : "
        "https://coutellerie-seychalles.example.fr/carrieres/alternance-maintenance",
        "Par e-mail : recrutement@coutellerie-seychalles.example.fr",
        "Par téléphone : 04 73 80 12 34",
    ]
    assert "Permis : B - Véhicule léger" in apprentice.requirements

    temp = offers["187WQZR"]
    assert (temp.kind, temp.contract_type) == ("job", "intérim")
    assert temp.extra["contract_code"] == "MIS"
    assert temp.extra["partners"] == ["INTERIM LIVRADOIS"]


def test_francetravail_single_200_page_asks_for_150_results(server, ft_env):
    server.script(FT_TOKEN_PATH, "francetravail_token")
    server.script(FT_SEARCH_PATH, "francetravail_search_ambert")
    records = list(francetravail.fetch(departement="63", rome_codes=["H3102"]))
    search = server.requests_to(FT_SEARCH_PATH)
    assert len(search) == 1
    assert search[0].param("range") == "0-149"
    assert search[0].param("departement") == "63"
    assert "commune" not in search[0].query
    [offer] = records
    assert (offer.commune, offer.contract_type, offer.places_available) == ("63003",
                                                                            "saisonnier", 2)
    assert offer.how_to_apply == ("Contacter l'agence France Travail : "
                                  "agence.ambert@francetravail.example.fr, 3949")


def test_francetravail_204_means_no_offer(server, ft_env):
    server.script(FT_TOKEN_PATH, "francetravail_token")
    server.script(FT_SEARCH_PATH, "francetravail_search_empty")
    assert list(francetravail.fetch(commune="42147", rome_codes=["H2903"])) == []
    assert [r.path for r in server.requests] == [FT_TOKEN_PATH, FT_SEARCH_PATH]


def test_francetravail_401_renews_the_token_once_then_fails(server, ft_env, sleeps):
    server.script(FT_TOKEN_PATH, "francetravail_token")
    server.script(FT_SEARCH_PATH, "francetravail_unauthorized")
    with pytest.raises(ConnectorError) as caught:
        list(francetravail.fetch(commune="63430", sleep=sleeps.append))
    assert [r.path for r in server.requests] == [FT_TOKEN_PATH, FT_SEARCH_PATH,
                                                 FT_TOKEN_PATH, FT_SEARCH_PATH]
    message = str(caught.value)
    assert caught.value.status == 401
    assert message.startswith("France Travail (Offres d'emploi v2) : accès refusé (HTTP 401)")
    assert "FRANCETRAVAIL_CLIENT_ID et FRANCETRAVAIL_CLIENT_SECRET" in message
    assert "s3cr3t" not in message and "tok-ft" not in message
    assert sleeps == []  # no retry on 401


def test_francetravail_refused_credentials_are_named(server, ft_env):
    server.script(FT_TOKEN_PATH, "francetravail_token_invalid_client")
    with pytest.raises(ConnectorError) as caught:
        list(francetravail.fetch(commune="63430"))
    assert len(server.requests) == 1
    message = str(caught.value)
    assert "jeton refusé (HTTP 400, invalid_client" in message
    assert "FRANCETRAVAIL_CLIENT_ID et FRANCETRAVAIL_CLIENT_SECRET" in message


def test_francetravail_malformed_json_is_not_retried(server, ft_env, sleeps):
    server.script(FT_TOKEN_PATH, "francetravail_token")
    server.script(FT_SEARCH_PATH, "francetravail_search_truncated")
    with pytest.raises(ConnectorError) as caught:
        list(francetravail.fetch(commune="63430", sleep=sleeps.append))
    assert len(server.requests_to(FT_SEARCH_PATH)) == 1
    assert sleeps == []
    message = str(caught.value)
    assert "réponse illisible (JSON invalide)" in message
    assert "(HTTP 200, début : « {\"resultats\":[{\"id\":\"187XKTM\"" in message
    assert "le connecteur doit être mis à jour" in message


def test_francetravail_missing_credentials_name_the_variable(server, ft_env, monkeypatch):
    monkeypatch.delenv("FRANCETRAVAIL_CLIENT_SECRET")
    with pytest.raises(ConnectorError) as caught:
        francetravail.fetch(commune="63430")
    assert str(caught.value).startswith(
        "France Travail (Offres d'emploi v2) : la variable d'environnement "
        "FRANCETRAVAIL_CLIENT_SECRET est absente ou vide.")
    assert server.requests == []


def test_francetravail_needs_a_place(server, ft_env):
    with pytest.raises(ConnectorError, match="indiquez une commune"):
        francetravail.fetch(rome_codes=["H2903"])


def test_francetravail_real_urls_are_the_defaults(monkeypatch):
    connector = francetravail.FranceTravailConnector(client_id="a", client_secret="b")
    assert connector.token_url == ("https://entreprise.francetravail.fr/connexion/oauth2/"
                                   "access_token?realm=%2Fpartenaire")
    assert connector.client.base_url == "https://api.francetravail.io/partenaire/offresdemploi/v2"


def test_francetravail_mapping_edge_cases():
    assert francetravail._total("offres 0-149/1234") == 1234
    assert francetravail._total("offres 0-149/*") is None
    offer = fixture("francetravail_search_ambert")["body"]["resultats"][0]
    long_url = "https://candidat.francetravail.fr/offres/recherche/detail/" + "X" * 500
    record = francetravail.map_offer({**offer, "description": "Très long. " * 600,
                                      "typeContrat": "LIB",
                                      "origineOffre": {"urlOrigine": long_url}})
    assert 3900 < len(record.description) <= 4000 and record.description.endswith(" Très…")
    assert record.contract_type is None and record.extra["contract_code"] == "LIB"
    assert record.url is None and record.extra["long_url"] == long_url


# -- La bonne alternance --------------------------------------------------------------------


@pytest.fixture
def lba_env(monkeypatch, server):
    monkeypatch.setenv("LBA_API_TOKEN", "lba-jeton-de-test")
    monkeypatch.delenv("LBA_API_URL", raising=False)


def test_labonnealternance_maps_jobs_and_pages_through_trainings(server, lba_env, caplog):
    server.script("/api/job/v1/search", "labonnealternance_jobs_thiers")
    server.script("/api/formation/v1/search", "labonnealternance_formations_page0",
                  "labonnealternance_formations_page1")
    records = list(labonnealternance.fetch(
        **THIERS, radius_km=30, rome_codes=["h2903", "I1304"], training_page_size=1,
        base_url=f"{server.url}/api", today=date(2026, 11, 28)))

    assert [r.path for r in server.requests] == [
        "/api/job/v1/search", "/api/formation/v1/search", "/api/formation/v1/search"]
    jobs_request, page0, page1 = server.requests
    for request in server.requests:
        assert request.headers["Authorization"] == "Bearer lba-jeton-de-test"
        assert request.param("romes") == "H2903,I1304"
        assert request.param("latitude") == "45.8564"
        assert request.param("longitude") == "3.5477"
        assert request.param("radius") == "30"
    assert [p.param("page_index") for p in (page0, page1)] == ["0", "1"]
    assert page0.param("page_size") == "1"

    # two jobs (the recruiter without an offer is not imported), two trainings
    assert [(r.kind, r.source_id) for r in records] == [
        ("apprenticeship", "6745c1d2e8a94f0012a3b5c7"),
        ("apprenticeship", "6746a0b3c1d2e3f4a5b6c7d8"),
        ("training", "088281P01313885594860007038855948600070-63003#L01"),
        ("training", "113655P01214200567800012042147#L01"),
    ]
    assert {r.source for r in records} == {"labonnealternance"}
    usineur, maintenance, cap, bts = records

    assert usineur.title == "Usineur / Usineuse en apprentissage - Bac pro TCI"
    assert usineur.organisation == "FORGES ET LAMES DE LA DUROLLE"
    assert (usineur.commune, usineur.extra["postcode"]) == ("Thiers", "63300")
    assert (usineur.rome, usineur.contract_type) == ("H2903", "apprentissage")
    assert usineur.start_date == date(2027, 1, 4)
    assert usineur.expires_on == date(2027, 1, 15)
    assert usineur.url.startswith("https://labonnealternance.apprentissage.beta.gouv.fr/")
    assert "Par téléphone : 0473801234" in usineur.how_to_apply
    assert "Compétences que vous allez acquérir :" in usineur.description
    assert "Diplôme préparé : BP, Bac, autres formations niveau (Bac)" in usineur.requirements
    assert (usineur.extra["latitude"], usineur.extra["longitude"]) == (45.8612, 3.5412)

    assert maintenance.contract_type == "contrat de professionnalisation"
    assert maintenance.places_available == 2
    assert maintenance.extra["partner_label"] == "France Travail"
    assert maintenance.extra["partner_job_id"] == "187XLBD"

    assert cap.title == "CONDUCTEUR D'INSTALLATIONS DE PRODUCTION (CAP)"
    assert cap.organisation == "LYCÉE PROFESSIONNEL DU LIVRADOIS"
    assert (cap.commune, cap.rome, cap.contract_type) == ("63003", "H2102", "apprentissage")
    # the 2026 session is over: the next one is shown
    assert (cap.start_date, cap.end_date, cap.places_available) == (date(2027, 9, 1),
                                                                    date(2029, 6, 30), 12)
    assert cap.requirements == "Diplôme : CAP, niveau européen 3"
    assert "Par e-mail : apprentissage@lp-livradois.example.fr" in cap.how_to_apply
    assert cap.url == "https://www.onisep.fr/http/redirection/formation/slug/FOR.1234"

    assert bts.organisation == "CFA INDUSTRIEL DU FOREZ"  # no enseigne: the legal name
    assert (bts.commune, bts.rome, bts.url) == ("42147", "I1304", None)
    assert bts.places_available is None
    assert caplog.text == ""


def test_labonnealternance_retries_500_three_times_then_succeeds(server, lba_env, sleeps):
    server.script("/api/job/v1/search", "labonnealternance_server_error",
                  "labonnealternance_server_error", "labonnealternance_server_error",
                  "labonnealternance_jobs_thiers")
    records = list(labonnealternance.fetch(**THIERS, rome_codes=["H2903"], trainings=False,
                                           base_url=f"{server.url}/api", sleep=sleeps.append))
    assert len(server.requests) == 4
    assert sleeps == [1.0, 2.0, 4.0]
    assert len(records) == 2


def test_labonnealternance_500_always_exhausts_the_tries(server, lba_env, sleeps):
    server.script("/api/job/v1/search", "labonnealternance_server_error")
    with pytest.raises(ConnectorError) as caught:
        list(labonnealternance.fetch(**THIERS, rome_codes=["H2903"],
                                     base_url=f"{server.url}/api", sleep=sleeps.append))
    assert len(server.requests) == 4
    assert sleeps == [1.0, 2.0, 4.0]
    error = caught.value
    assert (error.status, error.tries) == (500, 4)
    assert str(error).startswith(
        "La bonne alternance (API Alternance) : toujours en échec après 4 essais pour "
        f"GET {server.url}/api/job/v1/search (dernier : HTTP 500).")
    assert "réessayez plus tard" in str(error)


def test_labonnealternance_401_names_the_token_variable(server, lba_env, sleeps):
    server.script("/api/job/v1/search", "labonnealternance_unauthorized")
    with pytest.raises(ConnectorError) as caught:
        list(labonnealternance.fetch(**THIERS, base_url=f"{server.url}/api",
                                     sleep=sleeps.append))
    assert len(server.requests) == 1 and sleeps == []
    assert "accès refusé (HTTP 401)" in str(caught.value)
    assert "LBA_API_TOKEN" in str(caught.value)
    assert "lba-jeton-de-test" not in str(caught.value)


def test_labonnealternance_missing_token(server, monkeypatch):
    monkeypatch.delenv("LBA_API_TOKEN", raising=False)
    with pytest.raises(ConnectorError, match="la variable d'environnement LBA_API_TOKEN est "
                                             "absente ou vide"):
        labonnealternance.fetch(**THIERS, base_url=f"{server.url}/api")
    assert server.requests == []


def test_labonnealternance_base_url_from_environment(server, lba_env, monkeypatch):
    monkeypatch.setenv("LBA_API_URL", f"{server.url}/api")
    server.script("/api/job/v1/search", "labonnealternance_jobs_thiers")
    records = list(labonnealternance.fetch(**THIERS, trainings=False))
    assert len(records) == 2
    assert "romes" not in server.requests[0].query


# -- Immersion facilitée --------------------------------------------------------------------


@pytest.fixture
def immersion_env(monkeypatch, server):
    monkeypatch.setenv("IMMERSION_API_KEY", "if-cle-de-test")
    monkeypatch.setenv("IMMERSION_API_URL", f"{server.url}/api")


def test_immersion_maps_establishments(server, immersion_env):
    server.script("/api/v2/search", "immersionfacile_search_montbrison")
    records = list(immersion.fetch(**MONTBRISON, distance_km=10,
                                   appellation_codes=["15920", "16364"]))
    [request] = server.requests
    assert request.headers["Authorization"] == "if-cle-de-test"  # the key as is, no Bearer
    assert request.query["appellationCodes[]"] == ["15920", "16364"]
    assert request.param("distanceKm") == "10"
    assert request.param("sortedBy") == "distance"
    assert (request.param("latitude"), request.param("longitude")) == ("45.6075", "4.0653")

    # the second location of the same establishment and ROME code is one record
    assert [r.source_id for r in records] == ["51234567800034-H2903", "79876543200011-H3202"]
    meca, plastics = records
    assert (meca.source, meca.kind, meca.contract_type) == ("immersionfacile", "immersion",
                                                            "PMSMP")
    assert meca.title == "Immersion : Conduite d'équipement d'usinage"
    assert meca.organisation == "Méca Forez"
    assert (meca.commune, meca.rome) == ("Montbrison", "H2903")
    assert meca.trade == "Opérateur / Opératrice d'usinage"
    assert meca.url == "https://meca-forez.example.fr"
    assert meca.how_to_apply.startswith("Demande de mise en relation par e-mail")
    assert "Métiers à découvrir : Opérateur / Opératrice d'usinage, Régleur / Régleuse sur " \
           "machine-outil." in meca.description
    assert "Adresse : 4 Rue des Granges, 42600 Montbrison." in meca.description
    assert meca.extra["siret"] == "51234567800034"
    assert meca.extra["location_id"] == "0f4c2b1e-5a77-4c1e-9e0a-3c2b8d1f6a21"
    assert meca.extra["distance_m"] == 610

    assert plastics.organisation == "PLASTURGIE DU FOREZ"
    assert plastics.url is None  # "www..." is no URL: kept in extra
    assert plastics.extra["website"] == "www.plasturgie-forez.example.fr"
    assert plastics.how_to_apply.startswith("Entreprise non référencée")


def test_immersion_rome_filters_the_results(server, immersion_env):
    server.script("/api/v2/search", "immersionfacile_search_montbrison")
    records = list(immersion.fetch(**MONTBRISON, rome="h3202", voluntary_to_immersion=False))
    assert server.requests[0].param("rome") == "H3202"
    assert server.requests[0].param("voluntaryToImmersion") == "false"
    assert [r.source_id for r in records] == ["79876543200011-H3202"]


def test_immersion_429_waits_retry_after_then_succeeds(server, immersion_env, sleeps):
    server.script("/api/v2/search", "immersionfacile_too_many_requests",
                  "immersionfacile_search_montbrison")
    records = list(immersion.fetch(**MONTBRISON, appellation_codes=["15920"],
                                   sleep=sleeps.append))
    assert len(server.requests) == 2
    assert sleeps == [2.0]  # Retry-After: 2, not the 1 s backoff
    assert len(records) == 2


def test_immersion_401_names_the_key_variable(server, immersion_env, sleeps):
    server.script("/api/v2/search", "immersionfacile_unauthorized")
    with pytest.raises(ConnectorError) as caught:
        list(immersion.fetch(**MONTBRISON, sleep=sleeps.append))
    assert len(server.requests) == 1 and sleeps == []
    assert str(caught.value).startswith("Immersion facilitée : accès refusé (HTTP 401)")
    assert "IMMERSION_API_KEY" in str(caught.value)


def test_immersion_missing_key(server, monkeypatch):
    monkeypatch.setenv("IMMERSION_API_KEY", "  ")
    with pytest.raises(ConnectorError, match="IMMERSION_API_KEY est absente ou vide"):
        immersion.fetch(**MONTBRISON, base_url=f"{server.url}/api")
    assert server.requests == []


# -- ApiClient ------------------------------------------------------------------------------


def client(url: str, sleeps: list[float], **kwargs: Any) -> ApiClient:
    return ApiClient("API de test", url, credentials_hint="la variable TEST_KEY",
                     sleep=sleeps.append, **kwargs)


def test_client_defaults():
    api = ApiClient("API de test", "https://example.invalid")
    assert api.timeout == (5.0, 20.0)
    assert api.max_tries == 4
    assert api.url_for("/v2/search") == "https://example.invalid/v2/search"
    assert api.url_for("https://other.invalid/token") == "https://other.invalid/token"


def test_client_does_not_retry_other_4xx(server, sleeps):
    server.scripts["/bad"] = deque([{"status": 400, "body": {
        "codeHttp": 400, "message": "Le paramètre range est invalide"}}])
    with pytest.raises(ConnectorError) as caught:
        client(server.url, sleeps).get("/bad", params={"range": "0-199"})
    assert len(server.requests) == 1 and sleeps == []
    assert caught.value.status == 400
    assert str(caught.value) == (
        f"API de test : requête refusée (HTTP 400) pour GET {server.url}/bad : Le paramètre "
        "range est invalide. Vérifiez les paramètres de recherche ; ne pas relancer tel quel.")


def test_client_403_is_a_credentials_error(server, sleeps):
    server.scripts["/forbidden"] = deque([{"status": 403, "body": {
        "status": 403, "message": "Accès refusé"}}])
    with pytest.raises(ConnectorError, match="accès refusé \\(HTTP 403\\).*la variable TEST_KEY"):
        client(server.url, sleeps).get("/forbidden")
    assert len(server.requests) == 1 and sleeps == []


def test_client_gives_up_when_retry_after_is_too_long(server, sleeps):
    server.scripts["/busy"] = deque([{"status": 429, "headers": {"Retry-After": "3600"},
                                      "body": {"message": "Too many requests"}}])
    with pytest.raises(ConnectorError, match="attendre 3600 s. Relancez l'import plus tard"):
        client(server.url, sleeps).get("/busy")
    assert len(server.requests) == 1 and sleeps == []


def test_client_retries_503_with_backoff(server, sleeps):
    server.scripts["/flaky"] = deque([{"status": 503, "text": "Service Unavailable"},
                                      {"status": 200, "body": {"ok": True}}])
    response = client(server.url, sleeps).get("/flaky")
    assert (response.status, response.data, response.tries) == (200, {"ok": True}, 2)
    assert sleeps == [1.0]


def test_client_connection_errors_are_retried_then_reported(sleeps):
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectorError) as caught:
        client(f"http://127.0.0.1:{port}", sleeps, timeout=(1.0, 1.0)).get("/v2/search")
    assert sleeps == [1.0, 2.0, 4.0]
    assert caught.value.tries == 4 and caught.value.status is None
    assert "toujours en échec après 4 essais" in str(caught.value)
    assert "(dernier : erreur de connexion (ConnectionError))" in str(caught.value)


def test_client_gives_up_on_an_answer_that_trickles_past_the_read_timeout(sleeps):
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Trickle(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "40")
            self.end_headers()
            for _ in range(40):  # one byte every 0.2 s: each read is quick, the whole is 8 s
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with pytest.raises(ConnectorError) as caught:
            client(f"http://127.0.0.1:{httpd.server_address[1]}", sleeps,
                   timeout=(1.0, 1.0)).get("/slow")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert "délai dépassé" in str(caught.value) and "1 s" in str(caught.value)
    assert sleeps == [] and caught.value.tries == 1
