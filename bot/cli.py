"""Indy's operator commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.settings import ROOT, get_settings


def _territory_build(args: argparse.Namespace) -> int:
    from bot.territory import build_places, get_territory, job_lookup_yaml, location_lookup_yaml

    settings = get_settings()
    modules = Path(args.modules)
    if not (modules / "@etalab" / "decoupage-administratif" / "data" / "communes.json").exists():
        print(f"Paquets introuvables dans {modules}. Lance d'abord : npm ci", file=sys.stderr)
        return 2
    places = build_places(settings.territory_dir, modules)
    target = settings.territory_dir / "places.json"
    target.write_text(json.dumps(places, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    get_territory.cache_clear()
    from bot.content import load_json

    load_json.cache_clear()
    territory = get_territory()
    lookups = ROOT / "data" / "nlu" / "lookups"
    lookups.mkdir(parents=True, exist_ok=True)
    (lookups / "location.yml").write_text(location_lookup_yaml(territory), encoding="utf-8")
    (lookups / "job.yml").write_text(job_lookup_yaml(), encoding="utf-8")
    print(f"{len(places['communes'])} communes écrites dans {target}")
    return 0


def _model(args: argparse.Namespace) -> int:
    from bot import model

    if args.action == "ensure":
        from bot.dialogue import distress_model

        print(model.ensure_model())
        distress_model.model()  # the safety layer's detector, trained when its data changed
        print(distress_model.model_file())
    elif args.action == "path":
        print(model.model_path())
    elif args.action == "test-stories":
        return model.test_stories()
    return 0


def _catalogue(args: argparse.Namespace) -> int:
    if args.action == "init":
        from bot.catalogue.prepare import prepare

        counts = prepare()
        print("Catalogue prêt : " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        return 0
    if args.action == "import":
        from bot.catalogue.alerts import pending_deliveries
        from bot.catalogue.db import migrate, session_scope
        from bot.catalogue.importer import import_file
        from bot.notify import send_alerts, transports_from_env

        migrate()
        status = 0
        for path in args.files:
            with session_scope() as session:
                report = import_file(session, Path(path))
                print("\n".join(report.lines()), file=sys.stdout if report.ok else sys.stderr)
                status = status or (0 if report.ok else 1)
                if report.ok and report.result.new_offer_ids:
                    deliveries = pending_deliveries(session, report.result.new_offer_ids)
                    sent = send_alerts(session, deliveries, transports_from_env())
                    print(f"Alertes : {sent.sent} envoyées, {sent.failed} en échec, "
                          f"{sent.no_transport} sur un canal sans envoi.")
        return status
    if args.action == "fetch":
        from bot.catalogue.alerts import pending_deliveries
        from bot.catalogue.connectors.http import ConnectorError
        from bot.catalogue.db import migrate, session_scope
        from bot.catalogue.fetching import store_records, territory_records
        from bot.notify import send_alerts, transports_from_env

        migrate()
        status = 0
        for source in dict.fromkeys(args.sources):  # each source alone: one failing (slow,
            try:                                     # down) keeps what the others gave
                with session_scope() as session:
                    report = store_records(session, source, territory_records(session, source))
                    print(report.line(), flush=True)
                    deliveries = pending_deliveries(session, report.result.new_offer_ids)
                    sent = send_alerts(session, deliveries, transports_from_env())
                    print(f"Alertes : {sent.sent} envoyées, {sent.failed} en échec, "
                          f"{sent.no_transport} sur un canal sans envoi.", flush=True)
            except ConnectorError as error:
                print(f"{source} : rien n'a été enregistré. {error}", file=sys.stderr,
                      flush=True)
                status = 1
        return status
    return 2


def _counsellor(args: argparse.Namespace) -> int:
    import getpass
    import os

    from bot.catalogue.db import migrate, session_scope
    from bot.handoff.accounts import AccountError, add_counsellor

    password = os.environ.get("INDY_NEW_PASSWORD") or getpass.getpass("Mot de passe : ")
    migrate()
    try:
        with session_scope() as session:
            counsellor = add_counsellor(session, args.username, args.name or args.username,
                                        password, role=args.role, team=args.team)
            counsellor.telegram_user_id = args.telegram_id
    except AccountError as error:
        print(f"Compte non créé : {error}", file=sys.stderr)
        return 1
    print(f"Compte « {args.username} » créé ({args.role}).")
    if args.role != "admin" and not args.team:
        print("Attention : sans --team, ce compte ne voit aucune demande (un admin les voit "
              "toutes).", file=sys.stderr)
    return 0


def _privacy(args: argparse.Namespace) -> int:
    from bot.catalogue.db import migrate, session_scope
    from bot.privacy import purge_older_than, retention_days

    migrate()
    days = args.days if args.days is not None else retention_days()
    with session_scope() as session:
        purged = purge_older_than(session, days)
    print(f"Plus vieux que {days} jours : {purged.conversations} conversations et "
          f"{purged.tickets} demandes closes effacées.")
    return 0


def _stats(args: argparse.Namespace) -> int:
    """The observatory: tables in the terminal (and CSV), the demo day, the labels."""
    from datetime import date

    if args.action == "simulate":
        from bot.catalogue.db import migrate
        from bot.observatory.simulate import simulate
        from bot.observatory.terminal import stats

        rasa = args.rasa or get_settings().rasa_url
        print(f"Simulation de {args.users} personnes sur {rasa} (démonstration seulement : "
              "ces conversations comptent comme de vraies).", flush=True)
        outcome = simulate(rasa, args.users, args.seed, args.parallel)
        print(outcome.line())
        migrate()
        print(stats(7))
        return 1 if outcome.failures else 0
    if args.action == "labels":
        from bot.catalogue.db import migrate, session_scope
        from bot.observatory.review import export_nlu

        migrate()
        with session_scope() as session:
            text = export_nlu(session)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
            print(f"Étiquettes écrites dans {args.output}")
        else:
            print(text, end="")
        return 0
    from bot.observatory.terminal import stats

    until = date.fromisoformat(args.until) if args.until else None
    print(stats(args.days, until, Path(args.csv) if args.csv else None), end="")
    return 0


def _facts(args: argparse.Namespace) -> int:
    """The operator's review sheet of every fact, number, ROME code and salary."""
    from datetime import date

    from bot.facts import ContentError, flagged_count, review_sheet

    try:
        sheet = review_sheet(date.fromisoformat(args.today) if args.today else None)
    except ContentError as error:
        print(f"Contenu invalide : {error}", file=sys.stderr)
        return 2
    print(sheet, end="")
    return 1 if args.strict and flagged_count(sheet) else 0


def _cluster(args: argparse.Namespace) -> int:  # noqa: ARG001
    from bot.cluster import site_conf
    from bot.settings import get_settings

    print(site_conf(get_settings()), end="")
    return 0


def _telegram(args: argparse.Namespace) -> int:
    from bot.telegram_bot import run

    return run()


def _desk(args: argparse.Namespace) -> int:
    from bot.handoff.telegram_desk import run

    return run()


def _run(args: argparse.Namespace) -> int:
    from bot.runner import run

    return run()


def _shell(args: argparse.Namespace) -> int:
    from bot.runner import shell

    return shell()


def _web(args: argparse.Namespace) -> int:
    from bot.web.app import serve

    serve()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["rasa"], ["actions"]):  # the servers, their own arguments (bot/serve.py)
        from bot import serve

        return getattr(serve, argv[0])(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bot", description="Commandes d'Indy")
    sub = parser.add_subparsers(dest="command", required=True)

    territory = sub.add_parser("territory", help="données du territoire")
    territory_sub = territory.add_subparsers(dest="action", required=True)
    build = territory_sub.add_parser("build", help="communes et tables de recherche")
    build.add_argument(
        "--modules", help="dossier node_modules (npm ci)",
        default=str(ROOT / "node_modules"),
    )
    build.set_defaults(func=_territory_build)

    catalogue = sub.add_parser("catalogue", help="offres, métiers, lieux")
    catalogue_sub = catalogue.add_subparsers(dest="action", required=True)
    catalogue_sub.add_parser("init", help="base à jour, données de référence et de démo")
    importing = catalogue_sub.add_parser("import", help="importer des offres (CSV ou JSON)")
    importing.add_argument("files", nargs="+", metavar="FICHIER")
    fetching = catalogue_sub.add_parser("fetch", help="offres des API des partenaires (une "
                                                      "ou plusieurs sources)")
    fetching.add_argument("sources", nargs="+", metavar="SOURCE",
                          choices=["francetravail", "labonnealternance", "immersionfacile"])
    catalogue.set_defaults(func=_catalogue)

    counsellor = sub.add_parser("counsellor", help="comptes des conseillers (tableau de bord)")
    counsellor_sub = counsellor.add_subparsers(dest="action", required=True)
    adding = counsellor_sub.add_parser("add", help="créer un compte (mot de passe demandé, ou "
                                                   "INDY_NEW_PASSWORD)")
    adding.add_argument("username")
    adding.add_argument("--name", help="nom affiché à la personne (« Julie, Mission Locale »)")
    adding.add_argument("--role", choices=["counsellor", "admin"], default="counsellor")
    adding.add_argument("--team", help="équipe(s) dont le compte voit les demandes (ids de "
                        "territory.yml, handoff.teams, séparés par des virgules)")
    adding.add_argument("--telegram-id", help="identifiant Telegram, pour répondre depuis le "
                                              "groupe des conseillers")
    counsellor.set_defaults(func=_counsellor)

    privacy = sub.add_parser("privacy", help="données personnelles")
    privacy_sub = privacy.add_subparsers(dest="action", required=True)
    purge = privacy_sub.add_parser("purge", help="effacer ce qui dépasse la durée de "
                                                 "conservation (à lancer chaque jour, cron)")
    purge.add_argument("--days", type=int, help="durée (sinon territory.yml, privacy)")
    privacy.set_defaults(func=_privacy)

    stats = sub.add_parser("stats", help="observatoire : ce que les jeunes demandent, sans "
                                         "données personnelles")
    stats.add_argument("--days", type=int, default=30, help="période en jours (30)")
    stats.add_argument("--until", help="dernier jour de la période, AAAA-MM-JJ (aujourd'hui)")
    stats.add_argument("--csv", metavar="DOSSIER", help="écrire aussi les tableaux en CSV")
    stats_sub = stats.add_subparsers(dest="action")
    simulating = stats_sub.add_parser("simulate", help="une journée de conversations simulées "
                                                       "(instance de démonstration)")
    simulating.add_argument("--users", type=int, default=60, help="personnes simulées (60)")
    simulating.add_argument("--seed", type=int, help="graine (sinon au hasard)")
    simulating.add_argument("--parallel", type=int, default=4, help="conversations en même "
                                                                    "temps (4)")
    simulating.add_argument("--rasa", help="adresse de Rasa (sinon http://127.0.0.1:5005)")
    labels = stats_sub.add_parser("labels", help="messages étiquetés, en données "
                                                 "d'entraînement Rasa (YAML)")
    labels.add_argument("-o", "--output", help="fichier (sinon la sortie standard)")
    stats.set_defaults(func=_stats, action=None)

    facts = sub.add_parser("facts", help="fiche de relecture : chaque fait, numéro d'urgence, "
                                         "code ROME et salaire, avec sa source et sa date")
    facts.add_argument("--today", help="date de relecture, AAAA-MM-JJ (aujourd'hui)")
    facts.add_argument("--strict", action="store_true",
                       help="code de sortie 1 si un élément est signalé (vieux, à vérifier)")
    facts.set_defaults(func=_facts)

    cluster = sub.add_parser("cluster", help="profil production : plusieurs répliques")
    cluster_sub = cluster.add_subparsers(dest="action", required=True)
    cluster_sub.add_parser("nginx", help="la configuration nginx (sites-enabled) des répliques")
    cluster.set_defaults(func=_cluster)

    telegram = sub.add_parser("telegram", help="Indy sur Telegram (long polling)")
    telegram.set_defaults(func=_telegram)

    desk = sub.add_parser("desk", help="les conseillers sur Telegram seuls (le pont "
                          "`telegram` les sert déjà avec INDY_COUNSELLORS_CHAT)")
    desk.set_defaults(func=_desk)

    model = sub.add_parser("model", help="le modèle Rasa")
    model.add_argument("action", choices=["ensure", "path", "test-stories"])
    model.set_defaults(func=_model)

    sub.add_parser("run", help="démarre Rasa, les actions et le site").set_defaults(func=_run)
    sub.add_parser("shell", help="discuter dans le terminal").set_defaults(func=_shell)
    sub.add_parser("web", help="le site web seul").set_defaults(func=_web)

    args = parser.parse_args(argv)
    from bot.catalogue.db import DATABASE_ERRORS, describe_error

    try:
        return args.func(args)
    except DATABASE_ERRORS as error:  # locked or unreachable: a clear message, no traceback
        print(describe_error(error), file=sys.stderr)
        return 3
