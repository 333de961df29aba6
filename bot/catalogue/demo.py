"""Demo catalogue: fictional but realistic offers of every kind, and the dated bus stops.

Used until real sources are connected, so that search, cards and alerts have something to show.
Organisations are fictional and always end with " (démo)"; there is no URL, phone or person.
Everything is drawn from `random.Random(seed)`; only the dates depend on `today`, so a record
keeps its source_id, organisation and trade from one day to the next and re-importing updates
its dates in place.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.catalogue.records import OfferRecord
from bot.content import load_yaml
from bot.labels import weekday_name
from bot.settings import get_settings
from bot.territory import Territory
from bot.text import fold
from bot.trades import Trade

SOURCE = "demo"
DEMO = " (démo)"
COUNTS = {"job": 150, "training": 60, "apprenticeship": 70, "internship": 40, "immersion": 40,
          "mrs": 20, "event": 40}
EXPIRED_SHARE = 0.055  # of jobs, courses and placements: about 5 % of all records
PUBLIC_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")

# Share of the records per trade sector (weighted to the territory's industry); unknown: 0.01.
MAX_TRADE_SHARE = 0.05  # a one-trade sector (cutlery, plastics) doesn't swamp the list
SECTOR_SHARE = {
    "métallurgie": 0.22, "coutellerie": 0.07, "plasturgie": 0.11, "agroalimentaire": 0.10,
    "textile et cuir": 0.08, "logistique": 0.09, "maintenance": 0.10, "production": 0.09,
    "papier": 0.03, "bois": 0.03, "chimie et pharmacie": 0.02, "électronique": 0.02,
    "qualité": 0.015, "bureau d'études": 0.015, "services": 0.006, "numérique": 0.006,
}


@dataclass(frozen=True)
class CompanyType:
    names: tuple[str, ...]
    products: tuple[str, ...]
    main_trade: str
    home: dict[str, float] = field(default_factory=dict)  # EPCI code -> extra weight


# Kinds of employers. `home`: where such firms cluster in the TILTAM (ignored elsewhere).
COMPANY_TYPES: dict[str, CompanyType] = {
    "mécanique": CompanyType(
        ("Mécanique de précision", "Usinage", "Décolletage", "Ateliers mécaniques"),
        ("des pièces usinées pour l'automobile et l'aéronautique",
         "des pièces mécaniques de précision", "des axes et des pièces décolletées"),
        "usineur", {"200070712": 1.5}),
    "chaudronnerie": CompanyType(
        ("Chaudronnerie", "Tôlerie", "Métallerie", "Constructions métalliques"),
        ("des cuves, des bâtis et des ensembles en acier", "des pièces en tôle pliée et soudée",
         "des structures et des garde-corps en acier"),
        "chaudronnier"),
    "forge": CompanyType(
        ("Forges", "Fonderie", "Emboutissage", "Estampage"),
        ("des pièces forgées et estampées", "des pièces en fonte et en bronze",
         "des pièces embouties pour l'industrie"),
        "fondeur", {"200070712": 2.0}),
    "coutellerie": CompanyType(
        ("Coutellerie", "Forge coutelière", "Atelier coutelier", "Lames et couteaux"),
        ("des couteaux de table et de poche", "des couteaux de cuisine professionnels",
         "des lames et des couteaux pliants"),
        "coutelier", {"200070712": 8.0}),
    "plasturgie": CompanyType(
        ("Plastiques", "Plasturgie", "Injection plastique", "Emballages plastiques"),
        ("des pièces plastiques injectées pour l'automobile", "des emballages en plastique",
         "des pièces techniques pour l'électroménager"),
        "plasturgiste", {"200070712": 1.5, "246301097": 1.5}),
    "fromagerie": CompanyType(
        ("Fromagerie", "Laiterie", "Caves d'affinage"),
        ("de la fourme et d'autres fromages de la région", "des fromages au lait de vache",
         "de la fourme affinée en cave"),
        "fromager", {"200070761": 3.0, "200065886": 1.5}),
    "salaisons": CompanyType(
        ("Salaisons", "Charcuterie", "Jambons et saucissons"),
        ("de la charcuterie sèche et des salaisons", "des jambons et des saucissons secs",
         "de la charcuterie et des plats cuisinés"),
        "boucher", {"200070761": 2.0}),
    "boulangerie": CompanyType(
        ("Biscuiterie", "Boulangerie industrielle", "Pâtisserie industrielle"),
        ("des biscuits et des gâteaux secs", "du pain et des viennoiseries surgelés",
         "des pâtisseries pour les magasins de la région"),
        "boulanger industriel"),
    "textile": CompanyType(
        ("Tresses et lacets", "Tissages", "Textiles techniques"),
        ("des tresses, des lacets et des cordons", "des tissus techniques pour l'industrie",
         "des sangles et des rubans"),
        "opérateur textile", {"200070761": 3.0, "200070712": 1.5}),
    "cuir": CompanyType(
        ("Maroquinerie", "Tannerie", "Ateliers du cuir"),
        ("des sacs et de la petite maroquinerie", "des cuirs pour la maroquinerie",
         "des articles en cuir pour de grandes marques"),
        "maroquinier", {"200070712": 2.0}),
    "papier": CompanyType(
        ("Papeterie", "Cartonnages", "Papiers et cartons"),
        ("du papier et du carton d'emballage", "des papiers de spécialité",
         "des boîtes et des étiquettes en carton"),
        "opérateur papier carton", {"200070761": 4.0}),
    "bois": CompanyType(
        ("Scierie", "Menuiserie industrielle", "Emballages bois"),
        ("des palettes et des caisses en bois", "des escaliers et des menuiseries",
         "du bois de charpente et de construction"),
        "menuisier industriel", {"200070761": 2.0, "200065886": 1.5}),
    "chimie": CompanyType(
        ("Laboratoires", "Chimie fine", "Formulations"),
        ("des produits pharmaceutiques", "des produits d'entretien professionnels",
         "des cosmétiques et des produits d'hygiène"),
        "opérateur chimie", {"200065886": 1.5}),
    "logistique": CompanyType(
        ("Transports", "Logistique", "Entrepôts"),
        ("le stockage et la livraison de produits industriels",
         "le transport de marchandises dans la région", "la logistique de grandes enseignes"),
        "cariste", {"246301097": 2.0, "200065886": 1.5}),
    "électronique": CompanyType(
        ("Électronique", "Câblage industriel", "Systèmes électriques"),
        ("des cartes électroniques", "des armoires électriques et des faisceaux de câbles",
         "des capteurs et des boîtiers électroniques"),
        "câbleur"),
}
REUSE_SHARE = 0.4  # firms post several offers
MANUFACTURING = tuple(t for t in COMPANY_TYPES if t != "logistique")
FOOD = ("fromagerie", "salaisons", "boulangerie")

# Who employs each trade; by trade name first, else by sector, else any manufacturer.
TRADE_EMPLOYERS: dict[str, tuple[str, ...]] = {
    "soudeur": ("chaudronnerie", "mécanique", "forge"),
    "chaudronnier": ("chaudronnerie",),
    "usineur": ("mécanique", "coutellerie"),
    "régleur": ("mécanique", "plasturgie", "forge"),
    "cariste": ("logistique", "papier", "plasturgie", "bois", "fromagerie"),
    "préparateur de commandes": ("logistique", "salaisons", "boulangerie", "coutellerie"),
    "opérateur de production": ("plasturgie", "mécanique", "forge", "papier", "chimie", "textile",
                                "électronique", "coutellerie"),
    "agent de fabrication": ("plasturgie", "coutellerie", "cuir", "boulangerie", "électronique",
                             "textile"),
    "monteur": ("mécanique", "chaudronnerie", "électronique"),
    "câbleur": ("électronique",),
    "technicien électronique": ("électronique",),
    "tuyauteur": ("chaudronnerie",),
    "métallier": ("chaudronnerie",),
    "peintre industriel": ("chaudronnerie", "forge"),
    "fondeur": ("forge",),
    "coutelier": ("coutellerie",),
    "dessinateur industriel": ("mécanique", "chaudronnerie", "plasturgie"),
    "technicien méthodes": ("mécanique", "plasturgie", "coutellerie", "forge"),
    "contrôleur qualité": ("mécanique", "plasturgie", "fromagerie", "salaisons", "chimie",
                           "coutellerie"),
    "plasturgiste": ("plasturgie",),
    "opérateur textile": ("textile",),
    "maroquinier": ("cuir",),
    "conducteur de ligne agroalimentaire": FOOD,
    "boucher": ("salaisons",),
    "fromager": ("fromagerie",),
    "boulanger industriel": ("boulangerie",),
    "opérateur de conditionnement": (*FOOD, "chimie", "papier"),
    "menuisier industriel": ("bois",),
    "opérateur papier carton": ("papier",),
    "opérateur chimie": ("chimie",),
    "ingénieur": ("mécanique", "plasturgie", "chimie", "électronique"),
    "presseur": ("forge", "coutellerie", "mécanique"),
    "traitement de surface": ("forge", "coutellerie", "mécanique"),
    "frigoriste": ("fromagerie", "salaisons", "logistique"),
    "logisticien": ("logistique",),
    "conducteur poids lourd": ("logistique",),
}
SECTOR_EMPLOYERS: dict[str, tuple[str, ...]] = {
    "métallurgie": ("mécanique", "chaudronnerie", "forge"), "coutellerie": ("coutellerie",),
    "plasturgie": ("plasturgie",), "agroalimentaire": FOOD, "textile et cuir": ("textile", "cuir"),
    "papier": ("papier",), "bois": ("bois",), "chimie et pharmacie": ("chimie",),
    "logistique": ("logistique",), "électronique": ("électronique",),
}

# Trades hired without diploma: MRS sessions, "débutant accepté".
ENTRY_TRADES = frozenset({
    "opérateur de production", "agent de fabrication", "opérateur de conditionnement",
    "plasturgiste", "usineur", "monteur", "câbleur", "opérateur textile", "presseur",
    "conducteur de ligne agroalimentaire", "préparateur de commandes", "opérateur papier carton",
    "opérateur chimie", "maroquinier", "coutelier", "agent d'entretien industriel",
})

# What the work is, as infinitive phrases ("tu vas …", "tu apprends à …").
TASKS: dict[str, tuple[str, ...]] = {
    "soudeur": ("souder des pièces en acier et en inox au TIG ou au MIG",
                "préparer et pointer les pièces avant soudure",
                "contrôler tes soudures et reprendre les défauts"),
    "chaudronnier": ("découper, plier et rouler des tôles",
                     "assembler des ensembles en acier à partir d'un plan",
                     "tracer les pièces et préparer les découpes"),
    "usineur": ("régler et surveiller un tour ou une fraiseuse à commande numérique",
                "charger les pièces, lancer les séries et contrôler les cotes",
                "usiner des pièces en acier, en inox ou en aluminium"),
    "régleur": ("préparer et régler les machines avant chaque série",
                "changer les outils et les moules",
                "corriger les réglages quand une pièce sort mauvaise"),
    "technicien de maintenance": ("dépanner les machines de production",
                                  "faire l'entretien préventif des équipements",
                                  "chercher l'origine des pannes mécaniques et électriques"),
    "électricien industriel": ("câbler et raccorder des armoires électriques",
                               "dépanner les installations électriques de l'usine",
                               "mettre en service de nouveaux équipements"),
    "automaticien": ("programmer des automates et des robots",
                     "mettre au point des lignes automatisées",
                     "améliorer les programmes des machines avec la maintenance"),
    "cariste": ("charger et décharger les camions au chariot élévateur",
                "ranger les palettes dans l'entrepôt",
                "approvisionner les lignes de production"),
    "préparateur de commandes": ("préparer les commandes des clients avec un scanner",
                                 "emballer et étiqueter les colis",
                                 "vérifier les quantités et les références"),
    "opérateur de production": ("alimenter la machine et surveiller son fonctionnement",
                                "contrôler les pièces à la sortie de la ligne",
                                "ranger et nettoyer ton poste de travail"),
    "agent de fabrication": ("assembler et contrôler des produits en série",
                             "suivre les consignes de la fiche de poste",
                             "trier et emballer les pièces finies"),
    "monteur": ("monter des sous-ensembles mécaniques à partir d'un plan",
                "assembler des machines et tester leur fonctionnement",
                "utiliser l'outillage à main et les visseuses"),
    "câbleur": ("câbler des armoires et des faisceaux électriques",
                "suivre un schéma de câblage", "tester la continuité des circuits"),
    "technicien électronique": ("tester et réparer des cartes électroniques",
                                "régler les bancs de test",
                                "analyser les défauts et proposer des corrections"),
    "tuyauteur": ("découper, cintrer et assembler des tuyauteries", "lire un plan isométrique",
                  "monter les réseaux de tuyaux sur site"),
    "métallier": ("fabriquer des garde-corps, des escaliers et des structures en acier",
                  "découper, percer et souder les profilés", "poser les ouvrages chez les clients"),
    "peintre industriel": ("préparer les surfaces avant peinture",
                           "peindre des pièces au pistolet en cabine",
                           "contrôler l'épaisseur et l'aspect de la peinture"),
    "fondeur": ("préparer les moules et couler le métal",
                "surveiller les fours et la température du métal",
                "ébarber et contrôler les pièces coulées"),
    "coutelier": ("monter des couteaux : lame, manche et mitre", "polir et affûter les lames",
                  "contrôler la finition de chaque couteau"),
    "dessinateur industriel": ("dessiner des pièces et des ensembles en 3D",
                               "préparer les plans pour l'atelier",
                               "modifier les plans avec les remarques de la production"),
    "technicien méthodes": ("organiser les étapes de fabrication des pièces",
                            "rédiger les gammes et les fiches de poste",
                            "chercher comment produire plus simplement"),
    "contrôleur qualité": ("mesurer les pièces avec des instruments de contrôle",
                           "remplir les fiches de contrôle",
                           "bloquer les lots non conformes et alerter l'équipe"),
    "plasturgiste": ("surveiller les presses à injecter",
                     "démouler, ébavurer et contrôler les pièces plastiques",
                     "changer les matières et les moules avec le régleur"),
    "opérateur textile": ("conduire des métiers à tresser ou à tisser",
                          "rattacher les fils cassés et changer les bobines",
                          "contrôler la qualité des tresses et des tissus"),
    "maroquinier": ("couper, parer et piquer des pièces de cuir",
                    "assembler des sacs et de la petite maroquinerie", "soigner chaque finition"),
    "conducteur de ligne agroalimentaire": ("conduire une ligne de fabrication ou d'emballage",
                                            "régler les machines et suivre les températures",
                                            "respecter les règles d'hygiène et de traçabilité"),
    "boucher": ("désosser et découper les viandes", "préparer les pièces pour la charcuterie",
                "respecter l'hygiène et la chaîne du froid"),
    "fromager": ("mouler, saler et retourner les fromages", "suivre l'affinage en cave",
                 "contrôler l'aspect et le goût des fromages"),
    "boulanger industriel": ("préparer les pâtes et surveiller la cuisson",
                             "conduire les pétrins et les fours",
                             "contrôler la qualité des produits"),
    "opérateur de conditionnement": ("emballer et étiqueter les produits",
                                     "surveiller la machine de conditionnement",
                                     "préparer les palettes pour l'expédition"),
    "menuisier industriel": ("usiner des pièces de bois sur des machines à commande numérique",
                             "assembler des meubles, des escaliers ou des fenêtres",
                             "poncer et finir les pièces"),
    "opérateur papier carton": ("conduire une machine à papier ou une onduleuse",
                                "surveiller les bobines et la qualité du papier",
                                "changer les formats et nettoyer la ligne"),
    "opérateur chimie": ("préparer des mélanges en suivant une recette",
                         "surveiller les cuves et les paramètres de fabrication",
                         "faire les prélèvements pour le laboratoire"),
    "chef d'équipe": ("animer une équipe de 6 à 10 personnes",
                      "organiser le travail de la journée",
                      "faire le lien entre l'atelier et les bureaux"),
    "ingénieur": ("piloter des projets d'amélioration de la production",
                  "concevoir de nouveaux produits avec le bureau d'études",
                  "accompagner l'installation de nouvelles machines"),
    "mécanicien industriel": ("démonter et réparer les organes mécaniques des machines",
                              "remplacer les roulements, les courroies et les pièces d'usure",
                              "graisser et entretenir les équipements"),
    "presseur": ("conduire une presse de découpe ou d'emboutissage",
                 "charger les tôles et surveiller les pièces",
                 "changer les outils entre deux séries"),
    "traitement de surface": ("préparer les bains de traitement",
                              "charger les pièces et suivre les temps de traitement",
                              "contrôler l'aspect et l'épaisseur des dépôts"),
    "frigoriste": ("entretenir les installations de froid",
                   "dépanner les chambres froides et les groupes frigorifiques",
                   "contrôler les températures et l'étanchéité des circuits"),
    "logisticien": ("organiser les flux entre l'entrepôt et les ateliers",
                    "suivre les stocks dans le logiciel",
                    "planifier les expéditions avec les transporteurs"),
    "conducteur poids lourd": ("livrer les clients de la région en porteur ou en semi-remorque",
                               "charger et sécuriser la marchandise",
                               "remplir les documents de livraison"),
    "agent d'entretien industriel": ("nettoyer et désinfecter les ateliers et les machines",
                                     "utiliser des autolaveuses et des produits adaptés",
                                     "suivre le planning de nettoyage et les règles de sécurité"),
    "technicien informatique industrielle": ("installer et dépanner les postes de l'atelier",
                                             "relier les machines au réseau de l'usine",
                                             "suivre les données de production"),
    "mécatronicien": ("dépanner des machines qui mêlent mécanique, électricité et électronique",
                      "régler des capteurs et des automatismes",
                      "faire l'entretien préventif des équipements"),
}
GENERIC_TASKS = ("apprendre les gestes du métier avec une personne expérimentée",
                 "suivre les consignes de production et de sécurité",
                 "travailler en équipe dans l'atelier")

JOB_TITLES: dict[str, tuple[str, ...]] = {
    "soudeur": ("Soudeur TIG", "Soudeur MIG/MAG", "Soudeur assembleur"),
    "chaudronnier": ("Chaudronnier", "Chaudronnier tôlier"),
    "usineur": ("Opérateur sur commande numérique", "Tourneur-fraiseur", "Décolleteur"),
    "régleur": ("Régleur sur presse", "Régleur sur commande numérique"),
    "technicien de maintenance": ("Technicien de maintenance industrielle",
                                  "Technicien de maintenance en équipe"),
    "électricien industriel": ("Électricien industriel", "Électricien de maintenance"),
    "automaticien": ("Automaticien", "Technicien automaticien roboticien"),
    "cariste": ("Cariste", "Cariste magasinier"),
    "préparateur de commandes": ("Préparateur de commandes", "Magasinier préparateur"),
    "opérateur de production": ("Opérateur de production", "Opérateur de production en 2 × 8"),
    "agent de fabrication": ("Agent de fabrication", "Agent de fabrication débutant accepté"),
    "monteur": ("Monteur", "Monteur mécanique"),
    "câbleur": ("Câbleur", "Câbleur d'armoires électriques"),
    "technicien électronique": ("Technicien électronique", "Technicien de test électronique"),
    "tuyauteur": ("Tuyauteur", "Tuyauteur soudeur"),
    "métallier": ("Métallier", "Métallier serrurier"),
    "peintre industriel": ("Peintre industriel", "Peintre au pistolet"),
    "fondeur": ("Fondeur", "Mouleur fondeur"),
    "coutelier": ("Coutelier", "Monteur en coutellerie", "Émouleur polisseur"),
    "dessinateur industriel": ("Dessinateur industriel", "Dessinateur projeteur"),
    "technicien méthodes": ("Technicien méthodes", "Technicien méthodes industrialisation"),
    "contrôleur qualité": ("Contrôleur qualité", "Contrôleur qualité en production"),
    "plasturgiste": ("Opérateur plasturgie", "Opérateur sur presse à injecter"),
    "opérateur textile": ("Opérateur textile", "Conducteur de métiers à tresser"),
    "maroquinier": ("Maroquinier", "Piqueur en maroquinerie"),
    "conducteur de ligne agroalimentaire": ("Conducteur de ligne agroalimentaire",
                                            "Conducteur de ligne de conditionnement alimentaire"),
    "boucher": ("Boucher désosseur", "Boucher en atelier de découpe"),
    "fromager": ("Fromager", "Affineur fromager"),
    "boulanger industriel": ("Boulanger industriel", "Opérateur en boulangerie industrielle"),
    "opérateur de conditionnement": ("Opérateur de conditionnement", "Agent de conditionnement"),
    "menuisier industriel": ("Menuisier industriel", "Opérateur sur machine à bois"),
    "opérateur papier carton": ("Conducteur de machine à papier", "Opérateur en cartonnerie"),
    "opérateur chimie": ("Opérateur de fabrication en chimie",
                         "Opérateur en production pharmaceutique"),
    "chef d'équipe": ("Chef d'équipe de production", "Chef d'atelier"),
    "ingénieur": ("Ingénieur méthodes", "Ingénieur amélioration continue",
                  "Ingénieur de production"),
    "mécanicien industriel": ("Mécanicien industriel", "Mécanicien d'entretien"),
    "presseur": ("Conducteur de presse", "Presseur en emboutissage"),
    "traitement de surface": ("Opérateur en traitement de surface", "Agent de galvanoplastie"),
    "frigoriste": ("Frigoriste", "Technicien frigoriste"),
    "logisticien": ("Logisticien", "Adjoint au responsable d'entrepôt"),
    "conducteur poids lourd": ("Chauffeur poids lourd", "Conducteur routier régional"),
    "agent d'entretien industriel": ("Agent d'entretien industriel", "Agent de nettoyage en usine"),
    "technicien informatique industrielle": ("Technicien informatique industrielle",),
    "mécatronicien": ("Mécatronicien", "Technicien mécatronique"),
}

# Qualifications per trade: (level, title). Levels set the duration and the article.
QUALIFICATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "soudeur": (("titre professionnel", "Titre professionnel soudeur assembleur industriel"),
                ("CAP", "CAP réalisations industrielles en chaudronnerie ou soudage"),
                ("CQPM", "CQPM soudeur industriel"),
                ("formation courte", "Formation courte : soudage TIG sur inox")),
    "chaudronnier": (("bac pro", "Bac pro technicien en chaudronnerie industrielle"),
                     ("CAP", "CAP réalisations industrielles en chaudronnerie ou soudage"),
                     ("titre professionnel", "Titre professionnel chaudronnier")),
    "usineur": (("bac pro", "Bac pro technicien en réalisation de produits mécaniques"),
                ("CQPM", "CQPM opérateur régleur sur machine-outil à commande numérique"),
                ("titre professionnel", "Titre professionnel technicien d'usinage assisté "
                                        "par ordinateur"),
                ("formation courte", "Formation courte : lire un plan et contrôler une pièce")),
    "régleur": (("CQPM", "CQPM opérateur régleur sur machine-outil à commande numérique"),
                ("formation courte", "Formation courte : réglage des presses à injecter")),
    "technicien de maintenance": (
        ("bac pro", "Bac pro maintenance des systèmes de production connectés"),
        ("BTS", "BTS maintenance des systèmes"),
        ("titre professionnel", "Titre professionnel technicien de maintenance industrielle")),
    "électricien industriel": (
        ("bac pro", "Bac pro métiers de l'électricité et de ses environnements connectés"),
        ("CAP", "CAP électricien"),
        ("formation courte", "Formation courte : habilitation électrique B1V BR")),
    "automaticien": (
        ("BTS", "BTS conception et réalisation de systèmes automatiques"),
        ("titre professionnel", "Titre professionnel technicien supérieur en automatique et "
                                "informatique industrielle")),
    "cariste": (("formation courte", "Formation courte : CACES R489 catégories 1, 3 et 5"),
                ("titre professionnel", "Titre professionnel agent magasinier")),
    "préparateur de commandes": (
        ("titre professionnel", "Titre professionnel préparateur de commandes en entrepôt"),
        ("CAP", "CAP opérateur logistique")),
    "opérateur de production": (
        ("CAP", "CAP conducteur d'installations de production"),
        ("titre professionnel", "Titre professionnel agent de fabrication industrielle"),
        ("bac pro", "Bac pro pilote de ligne de production")),
    "agent de fabrication": (
        ("titre professionnel", "Titre professionnel agent de fabrication industrielle"),
        ("CQPM", "CQPM conducteur d'équipements industriels")),
    "monteur": (("CQPM", "CQPM assembleur monteur de systèmes mécanisés"),
                ("formation courte", "Formation courte : lecture de plans et montage")),
    "câbleur": (("CQPM", "CQPM câbleur de systèmes électriques"),
                ("formation courte", "Formation courte : câblage d'armoires électriques")),
    "technicien électronique": (
        ("BTS", "BTS cybersécurité, informatique et réseaux, électronique"),
        ("bac pro", "Bac pro cybersécurité, informatique et réseaux, électronique")),
    "tuyauteur": (("titre professionnel", "Titre professionnel tuyauteur industriel"),),
    "métallier": (("CAP", "CAP métallier"),
                  ("bac pro", "Bac pro ouvrages du bâtiment : métallerie")),
    "peintre industriel": (("CQPM", "CQPM peintre industriel"),
                           ("formation courte", "Formation courte : peinture au pistolet")),
    "fondeur": (("bac pro", "Bac pro fonderie"),
                ("formation courte", "Formation courte : moulage et coulée")),
    "coutelier": (("CAP", "CAP instruments coupants et de chirurgie"),
                  ("formation courte", "Formation courte : émouture et affûtage"),
                  ("formation courte", "Formation courte : montage de couteaux pliants")),
    "dessinateur industriel": (
        ("BTS", "BTS conception des produits industriels"),
        ("titre professionnel", "Titre professionnel technicien supérieur en conception "
                                "industrielle de systèmes mécaniques")),
    "technicien méthodes": (("BTS", "BTS conception des processus de réalisation de produits"),),
    "contrôleur qualité": (("CQPM", "CQPM technicien de la qualité"),
                           ("formation courte", "Formation courte : métrologie et contrôle "
                                                "dimensionnel")),
    "plasturgiste": (("bac pro", "Bac pro plastiques et composites"),
                     ("CAP", "CAP conducteur d'installations de production"),
                     ("formation courte", "Formation courte : conduite de presses à injecter")),
    "opérateur textile": (("bac pro", "Bac pro métiers de la mode - vêtements"),
                          ("formation courte", "Formation courte : conduite de métiers "
                                               "à tresser")),
    "maroquinier": (("CAP", "CAP maroquinerie"),
                    ("formation courte", "Formation courte : piqûre en maroquinerie")),
    "conducteur de ligne agroalimentaire": (
        ("titre professionnel", "Titre professionnel conducteur d'installations et de machines "
                                "automatisées"),
        ("bac pro", "Bac pro bio-industries de transformation")),
    "boucher": (("CAP", "CAP boucher"), ("CAP", "CAP charcutier-traiteur")),
    "fromager": (("CAP", "CAP crémier-fromager"),
                 ("formation courte", "Formation courte : affinage des fromages")),
    "boulanger industriel": (("CAP", "CAP boulanger"),),
    "opérateur de conditionnement": (
        ("titre professionnel", "Titre professionnel conducteur d'installations et de machines "
                                "automatisées"),),
    "menuisier industriel": (("CAP", "CAP menuisier fabricant"),
                             ("bac pro", "Bac pro technicien de fabrication bois et matériaux "
                                         "associés")),
    "opérateur papier carton": (
        ("bac pro", "Bac pro procédés de la chimie, de l'eau et des papiers-cartons"),),
    "opérateur chimie": (
        ("bac pro", "Bac pro procédés de la chimie, de l'eau et des papiers-cartons"),),
    "chef d'équipe": (("formation courte", "Formation courte : animer une équipe d'atelier"),),
    "ingénieur": (("licence pro", "Licence professionnelle métiers de l'industrie"),),
    "mécanicien industriel": (
        ("bac pro", "Bac pro maintenance des systèmes de production connectés"),),
    "presseur": (("CQPM", "CQPM conducteur d'équipements industriels"),
                 ("formation courte", "Formation courte : conduite de presses")),
    "traitement de surface": (
        ("formation courte", "Formation courte : traitements de surface et risque chimique"),),
    "frigoriste": (("CAP", "CAP installateur en froid et conditionnement d'air"),),
    "logisticien": (("titre professionnel", "Titre professionnel technicien en logistique "
                                            "d'entreposage"),),
    "conducteur poids lourd": (
        ("titre professionnel", "Titre professionnel conducteur du transport routier de "
                                "marchandises sur porteur"),),
    "agent d'entretien industriel": (
        ("titre professionnel", "Titre professionnel agent de propreté et d'hygiène"),),
    "technicien informatique industrielle": (
        ("titre professionnel", "Titre professionnel technicien supérieur en automatique et "
                                "informatique industrielle"),),
    "mécatronicien": (("BTS", "BTS maintenance des systèmes"),
                      ("bac pro", "Bac pro maintenance des systèmes de production connectés")),
}
NOT_APPRENTICED = frozenset({"chef d'équipe"})
APPRENTICE_LEVELS = ("CAP", "bac pro", "BTS", "titre professionnel", "CQPM", "licence pro")
ARTICLE = {"licence pro": "la"}
APPRENTICE_YEARS = {"CAP": 2, "bac pro": 3, "BTS": 2, "titre professionnel": 1, "CQPM": 1,
                    "licence pro": 1}
TRAINING_DAYS = {"CAP": (240, 330), "bac pro": (280, 330), "BTS": (600, 700),
                 "titre professionnel": (150, 270), "CQPM": (60, 180), "licence pro": (300, 330),
                 "formation courte": (2, 12), "POEI": (30, 90)}
LEVEL_REQUIREMENTS = {
    "CAP": "Sortie de 3e acceptée, pas de diplôme demandé.",
    "bac pro": "Après la 3e, un CAP ou une seconde.",
    "BTS": "Après un bac : général, technologique ou professionnel.",
    "titre professionnel": "Niveau 3e ou CAP conseillé ; des tests de positionnement sont prévus.",
    "CQPM": "Débutant accepté ; un entretien avec l'entreprise est prévu.",
    "licence pro": "Après un BTS ou un BUT du domaine.",
    "formation courte": "Pas de diplôme demandé.",
    "POEI": "Tu es inscrit à France Travail ; pas de diplôme demandé.",
}

TRADE_REQUIREMENTS = {
    "cariste": "CACES R489 catégorie 3, ou à passer : l'entreprise peut le financer.",
    "conducteur poids lourd": "Permis C ou CE et FIMO ou FCO à jour.",
    "électricien industriel": "Habilitation électrique, ou à passer en début de contrat.",
    "soudeur": "Tu sais souder au TIG ou au MIG, même avec peu d'expérience.",
    "usineur": "Tu sais lire un plan ; la programmation s'apprend sur place.",
    "dessinateur industriel": "Tu connais un logiciel de dessin 3D.",
    "ingénieur": "Diplôme d'ingénieur ou master ; jeune diplômé accepté.",
    "frigoriste": "Attestation d'aptitude aux fluides frigorigènes, ou à passer.",
    "boucher": "CAP boucher ou expérience en atelier de découpe.",
    "chef d'équipe": "Une expérience en production ; l'envie d'animer une équipe.",
}
ENTRY_REQUIREMENTS = ("Débutant accepté.", "Pas de diplôme demandé.",
                      "Tu es formé sur le poste par un tuteur.",
                      "Tu aimes le travail manuel et soigné.",
                      "Tu respectes les consignes de sécurité.", "Travail debout.")
SKILLED_REQUIREMENTS = ("Un CAP, un bac pro ou un titre professionnel du domaine.",
                        "Une première expérience, même en alternance ou en stage.",
                        "Jeune diplômé accepté.", "Tu es rigoureux et tu aimes comprendre.")
HOURS = ("Horaires de journée, du lundi au vendredi.",
         "Travail en 2 × 8 : une semaine le matin, une semaine l'après-midi.",
         "35 heures par semaine, en journée.",
         "39 heures par semaine, heures supplémentaires payées.",
         "Travail en équipe de nuit, avec une prime.",
         "Horaires en 3 × 8, primes d'équipe en plus.")
SECTOR_HOURS = {
    "logistique": ("Prise de poste tôt le matin, vers 5 h.",
                   "Horaires de journée, du lundi au samedi matin."),
    "fromagerie": ("Travail au frais, tenue fournie.", "Début à 6 h, fin vers 13 h 30."),
    "salaisons": ("Travail au frais (4 °C), tenue fournie.",
                  "Du lundi au vendredi, de 6 h à 14 h."),
    "boulangerie": ("Travail en 2 × 8, début possible à 4 h du matin.",),
}
PERKS = ("Tenue de travail et chaussures de sécurité fournies.",
         "Prime de panier et mutuelle d'entreprise.", "Parking sur place.",
         "Salle de pause et cantine sur place.",
         "Possibilité d'évoluer avec de l'expérience.", "Treizième mois après un an.")
JOB_APPLY = ("Postule avec ou sans CV auprès de la Mission Locale.",
             "Envoie ton CV, même court, par ton conseiller Mission Locale ou France Travail.",
             "Passe par ton agence France Travail en donnant le nom de l'entreprise.",
             "Un CV simple suffit : ton conseiller peut t'aider à le faire.",
             "Candidature par la Mission Locale : un conseiller t'aide à préparer l'entretien.")
INTERIM_APPLY = ("Inscris-toi à l'agence d'intérim avec une pièce d'identité et ta carte vitale.",
                 "Passe à l'agence d'intérim : l'inscription prend 30 minutes.")
ABILITIES = ("suivre des consignes et des normes", "rester concentré longtemps",
             "être habile de tes mains", "te représenter un objet dans l'espace",
             "repérer et analyser des informations")

# Fictional place epithets of the TILTAM's intercommunalités, for organisation names.
EPITHETS: dict[str, tuple[str, ...]] = {
    "246301097": ("de la Limagne", "d'Entre Dore et Allier", "de la plaine de Lezoux",
                  "du Val d'Allier"),
    "200070712": ("des Bois Noirs", "de la Durolle", "du Bassin thiernois",
                  "de la Montagne thiernoise"),
    "200070761": ("du Livradois", "du Haut-Livradois", "du Pays d'Ambert", "de la Dore"),
    "200065886": ("du Forez", "de la Plaine du Forez", "du Montbrisonnais", "du Lignon"),
}
CENTRE_NAMES = ("Lycée des métiers", "CFA de l'industrie", "Centre de formation industrielle",
                "Pôle formation", "École de production")
EPCI_POWER = 0.6  # an intercommunalité's weight: population ** power
COMMUNE_POWER = 0.9  # a commune's weight: population ** power
EVENT_POWER = 2.5  # events mostly in towns
EVENT_TYPES_PLAN = (("job_dating", 7), ("forum", 6), ("open_day", 8), ("escape_game", 6),
                    ("factory_visit", 8), ("info_session", 5))


@dataclass
class Company:
    name: str  # without the demo suffix, for the texts
    kind: str
    commune: dict[str, Any]
    size: int

    @property
    def organisation(self) -> str:
        return self.name + DEMO


def demo_offers(today: date, territory: Territory, trades: list[Trade],
                seed: int = 7) -> list[OfferRecord]:
    """At least 420 fictional offers of every kind, the same for the same (today, seed)."""
    return _Generator(today, territory, trades, seed).run()


def served_communes(territory: Territory) -> set[str]:
    """INSEE codes listed under `transport.served_communes` in territory.yml (codes or names)."""
    path = get_settings().territory_dir / "territory.yml"
    raw = load_yaml(path) if path.exists() else None
    listed = ((raw or {}).get("transport") or {}).get("served_communes") or []
    codes = {c["code"] for c in territory.communes}
    by_name = {fold(c["name"]): c["code"] for c in territory.communes}
    found = set()
    for item in listed:
        text = str(item).strip()
        code = text if text in codes else by_name.get(fold(text))
        if code:
            found.add(code)
    return found


def of_name(name: str) -> str:
    """ "de Thiers", "d'Ambert", "du Brugeron", "de la Monnerie-le-Montel", "des Salles",
    "d'automaticien"."""
    for article, contracted in (("Le ", "du "), ("Les ", "des "), ("La ", "de la "),
                                ("L'", "de l'")):
        if name.startswith(article):
            return contracted + name[len(article):]
    return ("d'" if fold(name)[:1] in "aeiouyh" else "de ") + name


def at_place(name: str) -> str:
    """ "à Thiers", "au Brugeron", "aux Salles", "à la Monnerie-le-Montel"."""
    for article, contracted in (("Le ", "au "), ("Les ", "aux "), ("La ", "à la "),
                                ("L'", "à l'")):
        if name.startswith(article):
            return contracted + name[len(article):]
    return "à " + name


def the(name: str) -> str:
    """ "le Lycée des métiers …", "l'École de production …"."""
    return ("l'" if fold(name)[:1] in "aeiouyh" else "le ") + name


def lower_first(title: str) -> str:
    """ "Bac pro …" -> "bac pro …", but "CAP …" stays."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def day_label(day: date) -> str:
    """ "lundi 7 décembre", "mardi 1er juin"."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{weekday_name(day.weekday())} {number} {MONTHS[day.month - 1]}"


def duration_label(days: int) -> str:
    if days < 21:
        return f"{days} jour{'s' if days > 1 else ''}"
    if days < 120:
        return f"{round(days / 7)} semaines"
    return f"{round(days / 30.4)} mois"


def _holidays(day: date) -> bool:
    """Approximate school holidays of zone A (Clermont-Ferrand, Lyon)."""
    md = (day.month, day.day)
    return ((10, 18) <= md <= (11, 3) or md >= (12, 19) or md <= (1, 4)
            or (2, 7) <= md <= (2, 23) or (4, 4) <= md <= (4, 20) or md >= (7, 4) and md <= (8, 31))


def working_day(day: date, after: date, saturday: bool = False) -> date:
    """`day` if it is open, else the Friday before a Saturday (when still after `after`), else
    the next day that is not a Sunday (nor a Saturday), nor a public holiday."""
    friday = day - timedelta(days=1)
    if day.weekday() == 5 and not saturday and friday > after \
            and (friday.month, friday.day) not in PUBLIC_HOLIDAYS:
        return friday
    if day.weekday() == 6:  # spread over Monday to Wednesday
        day += timedelta(days=1 + day.toordinal() % 3)
    while (day.weekday() == 6 or day.weekday() == 5 and not saturday
           or (day.month, day.day) in PUBLIC_HOLIDAYS):
        day += timedelta(days=1)
    return day


def school_week(start: date) -> date:
    """The first Monday on or after `start` whose week (Monday to Friday) is a school week."""
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    while any(_holidays(monday + timedelta(days=d)) for d in range(5)):
        monday += timedelta(days=7)
    return monday


def seconde_period(today: date) -> date:
    """Monday of the "stage de seconde" fortnight (second half of June), at least 3 weeks on."""
    for year in (today.year, today.year + 1):
        june = date(year, 6, 14)
        monday = june + timedelta(days=(7 - june.weekday()) % 7)
        if monday >= today + timedelta(days=21):
            return monday
    raise AssertionError("unreachable")


class _Generator:
    def __init__(self, today: date, territory: Territory, trades: list[Trade], seed: int):
        if not trades:
            raise ValueError("demo_offers: aucun métier")
        self.today = today
        self.territory = territory
        self.trades = list(trades)
        self.by_name = {t.name: t for t in self.trades}
        self.rng = random.Random(seed)
        self.bus = served_communes(territory)
        self.records: list[OfferRecord] = []
        self.counters: dict[str, int] = {}
        self.companies: list[Company] = []
        self.by_place: dict[tuple[str, str], list[Company]] = {}
        self.names: set[str] = set()
        self.epcis = [e["code"] for e in territory.epci]
        self.communes: dict[str, list[dict[str, Any]]] = {
            code: [c for c in territory.communes if c["epci"] == code] for code in self.epcis
        }
        self.epcis = [code for code in self.epcis if self.communes[code]]
        self.weights = [self._trade_weight(t) for t in self.trades]
        self.centres = self._centres()

    # --- choices -------------------------------------------------------------------------

    def _trade_weight(self, trade: Trade) -> float:
        share = SECTOR_SHARE.get(trade.sector, 0.01)
        same = sum(1 for t in self.trades if t.sector == trade.sector)
        return min(share / same, MAX_TRADE_SHARE)

    def trade(self, only: frozenset[str] | None = None,
              without: frozenset[str] = frozenset()) -> Trade:
        pool = [(t, w) for t, w in zip(self.trades, self.weights, strict=True)
                if (only is None or t.name in only) and t.name not in without]
        if not pool:
            pool = list(zip(self.trades, self.weights, strict=True))
        return self.rng.choices([t for t, _ in pool], [w for _, w in pool])[0]

    def commune(self, home: dict[str, float] | None = None, power: float = COMMUNE_POWER,
                epci: str | None = None) -> dict[str, Any]:
        """Intercommunalité by its population ** 0.6 (every one well represented, times the
        sector's home weight), then a commune with probability growing with its population."""
        if epci is None:
            weights = [sum(c.get("population", 0) or 1 for c in self.communes[e]) ** EPCI_POWER
                       * (home or {}).get(e, 1.0) for e in self.epcis]
            epci = self.rng.choices(self.epcis, weights)[0]
        members = self.communes[epci]
        return self.rng.choices(
            members, [max(c.get("population", 0), 50) ** power for c in members])[0]

    def epithet(self, commune: dict[str, Any]) -> str:
        pool = EPITHETS.get(commune["epci"], ())
        if pool and self.rng.random() < 0.6:
            return self.rng.choice(pool)
        return of_name(commune["name"])

    def unique(self, patterns: tuple[str, ...], commune: dict[str, Any]) -> str:
        for _ in range(12):
            name = f"{self.rng.choice(patterns)} {self.epithet(commune)}"
            if name not in self.names:
                break
        else:
            name = f"{self.rng.choice(patterns)} {of_name(commune['name'])}"
            suffix = 2
            while name in self.names:
                name = f"{self.rng.choice(patterns)} {of_name(commune['name'])} {suffix}"
                suffix += 1
        self.names.add(name)
        return name

    def employer(self, trade: Trade) -> Company:
        kinds = TRADE_EMPLOYERS.get(trade.name) or SECTOR_EMPLOYERS.get(trade.sector) \
            or MANUFACTURING
        known = [c for c in self.companies if c.kind in kinds]
        if known and self.rng.random() < REUSE_SHARE:
            return self.rng.choice(known)
        kind = self.rng.choice(kinds)
        commune = self.commune(COMPANY_TYPES[kind].home)
        existing = self.by_place.get((kind, commune["code"]), [])
        if existing and self.rng.random() < 0.7:
            return self.rng.choice(existing)
        size = self.rng.choice((8, 12, 15, 20, 25, 35, 45, 60, 80, 120, 180, 250))
        company = Company(self.unique(COMPANY_TYPES[kind].names, commune), kind, commune, size)
        self.companies.append(company)
        self.by_place.setdefault((kind, commune["code"]), []).append(company)
        return company

    def _centres(self) -> list[Company]:
        centres = []
        for epci in self.epcis:
            towns = sorted(self.communes[epci], key=lambda c: -c.get("population", 0))[:3]
            for _ in range(2 if len(self.communes[epci]) < 40 else 3):
                commune = self.rng.choices(towns, [c.get("population", 0) + 1 for c in towns])[0]
                name = self.unique(CENTRE_NAMES, commune)
                centres.append(Company(name, "centre", commune, 0))
        return centres

    def service(self, kind: str, epci: str, fallback: str) -> str:
        for item in self.territory.services:
            if item.get("kind") == kind and epci in item.get("epci", []):
                name = str(item["name"]).strip()
                return name if name.endswith(DEMO.strip()) else name + DEMO
        return fallback + DEMO

    def pick(self, options: tuple[str, ...], count: int) -> list[str]:
        return self.rng.sample(list(options), min(count, len(options)))

    def tasks(self, trade: Trade, count: int = 2) -> list[str]:
        return self.pick(TASKS.get(trade.name, GENERIC_TASKS), count)

    def expired(self) -> bool:
        return self.rng.random() < EXPIRED_SHARE

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    # --- records -------------------------------------------------------------------------

    def add(self, kind: str, *, title: str, organisation: str, commune: dict[str, Any],
            trade: Trade | None = None, extra: dict[str, Any] | None = None,
            **values: Any) -> None:
        number = self.counters[kind] = self.counters.get(kind, 0) + 1
        self.records.append(OfferRecord(
            source=SOURCE, source_id=f"demo-{kind}-{number:04d}", kind=kind, title=title,
            organisation=organisation, commune=commune["code"],
            trade=trade.name if trade else None, rome=trade.rome if trade else None,
            demo=True, extra={"near_bus_line": commune["code"] in self.bus, **(extra or {})},
            **values,
        ))

    def run(self) -> list[OfferRecord]:
        # Every trade gets at least one job, then the territory's weights decide.
        first = self.rng.sample(self.trades, len(self.trades))[: COUNTS["job"]]
        for n in range(COUNTS["job"]):
            self.job(first[n] if n < len(first) else self.trade())
        for _ in range(COUNTS["training"]):
            self.training(self.trade())
        for _ in range(COUNTS["apprenticeship"]):
            self.apprenticeship(self.trade(without=NOT_APPRENTICED))
        for n in range(COUNTS["internship"]):
            self.internship(self.trade(), seconde=n % 3 == 2)
        for _ in range(COUNTS["immersion"]):
            self.immersion(self.trade())
        for _ in range(COUNTS["mrs"]):
            self.mrs(self.trade(ENTRY_TRADES))
        plan = [kind for kind, count in EVENT_TYPES_PLAN for _ in range(count)]
        self.rng.shuffle(plan)
        for event_type in plan[: COUNTS["event"]]:
            self.event(event_type)
        return self.records

    def intro(self, company: Company, agency: bool = False) -> str:
        product = self.rng.choice(COMPANY_TYPES[company.kind].products)
        place = at_place(company.commune["name"])
        verb = "assure" if company.kind == "logistique" else "fabrique"
        options = (
            f"{company.name} {verb} {product} {place}.",
            f"Entreprise familiale de {company.size} salariés, {company.name} {verb} {product}.",
            f"{company.name} ({company.size} salariés) {verb} {product} {place}.",
        )
        choice = self.rng.choice(options)
        if agency:
            who = "qui assure" if company.kind == "logistique" else "qui fabrique"
            return f"Mission d'intérim {place}, dans une entreprise {who} {product}."
        return choice

    def requirements(self, trade: Trade, company: Company) -> str:
        commune = company.commune
        lines = [TRADE_REQUIREMENTS[trade.name]] if trade.name in TRADE_REQUIREMENTS else []
        pool = ENTRY_REQUIREMENTS if trade.name in ENTRY_TRADES else SKILLED_REQUIREMENTS
        if company.kind in FOOD:
            pool += ("Tu respectes les règles d'hygiène.",)
        elif company.kind != "logistique" and trade.name not in ENTRY_TRADES:
            pool += ("Tu sais lire un plan ou un schéma.",)
        lines += self.pick(pool, 2)
        if commune.get("population", 0) < 1500 and commune["code"] not in self.bus:
            lines.append("Permis B conseillé : le site est peu desservi par les transports.")
        return " ".join(lines)

    def job(self, trade: Trade) -> None:
        rng = self.rng
        contract = rng.choices(("CDI", "CDD", "intérim"), (0.42, 0.25, 0.33))[0]
        company = self.employer(trade)
        agency = contract == "intérim" and rng.random() < 0.5
        organisation = company.organisation
        if agency:
            organisation = self.unique(("Agence d'intérim", "Intérim et emploi"),
                                       company.commune) + DEMO
        expired = self.expired()
        published = self.today - self.days(12, 30) if expired else self.today - self.days(0, 30)
        expires = self.today - self.days(1, 10) if expired else self.today + self.days(15, 60)
        start = max(published + self.days(7, 40), self.today + self.days(1, 10))
        if expired:
            start = published + self.days(7, 20)
        end = None
        if contract == "CDD":
            end = start + timedelta(days=30 * rng.randint(2, 12) - 1)
        elif contract == "intérim":
            end = start + timedelta(weeks=rng.randint(2, 26), days=-3)
        tasks = self.tasks(trade)
        hours = SECTOR_HOURS.get(company.kind, ()) + HOURS
        description = " ".join([
            self.intro(company, agency),
            f"Ton travail : {tasks[0]}. Tu vas aussi {tasks[1]}.",
            rng.choice(hours),
            *self.pick(PERKS, rng.randint(1, 2)),
        ])
        apply = rng.choice(INTERIM_APPLY if agency else JOB_APPLY)
        title = rng.choice(JOB_TITLES.get(trade.name, (trade.name.capitalize(),))) + " (H/F)"
        self.add(
            "job", title=title, organisation=organisation, commune=company.commune, trade=trade,
            contract_type=contract, start_date=start, end_date=end, expires_on=expires,
            description=description, requirements=self.requirements(trade, company),
            how_to_apply=apply, places_available=rng.choice((1, 1, 1, 1, 2, 2, 3, 5)),
            extra={"published_on": published.isoformat()},
        )

    def qualification(self, trade: Trade, levels: tuple[str, ...] | None = None
                      ) -> tuple[str, str]:
        options = [q for q in QUALIFICATIONS.get(trade.name, ())
                   if levels is None or q[0] in levels]
        if not options:
            options = [("titre professionnel", f"Titre professionnel {trade.name}")]
            if levels is None:
                options.append(("formation courte",
                                f"Formation courte : découvrir le métier {of_name(trade.name)}"))
        return self.rng.choice(options)

    def training(self, trade: Trade) -> None:
        rng = self.rng
        centre = rng.choice(self.centres)
        if rng.random() < 0.15:
            level, title = "POEI", f"POEI {trade.name} : formation avant embauche"
        else:
            level, title = self.qualification(trade)
        low, high = TRAINING_DAYS.get(level, (60, 180))
        length = rng.randint(low, high)
        start = self.today + timedelta(weeks=rng.randint(2, 19))
        start += timedelta(days=(7 - start.weekday()) % 7)  # courses start on a Monday
        expired = self.expired()
        expires = self.today - self.days(1, 7) if expired else max(
            start - self.days(3, 10), self.today + timedelta(days=1))
        tasks = self.tasks(trade)
        if level == "formation courte":
            body = (f"Formation de {duration_label(length)} en petit groupe, avec beaucoup de "
                    f"pratique. Tu apprends à {tasks[0]}.")
        elif level == "POEI":
            body = (f"Préparation opérationnelle à l'emploi : {duration_label(length)} de "
                    f"formation financée par France Travail, puis une embauche dans une "
                    f"entreprise qui recrute. Tu apprends à {tasks[0]} et à {tasks[1]}.")
        else:
            stage = rng.choice((4, 6, 8, 12))
            body = (f"Tu apprends à {tasks[0]} et à {tasks[1]}. Durée : "
                    f"{duration_label(length)}, dont {stage} semaines de stage en entreprise.")
        description = " ".join([
            f"{title}, {at_place(centre.commune['name'])}, avec {the(centre.name)}.",
            body,
            rng.choice(("Du lundi au vendredi, 35 heures par semaine.",
                        "Cours de 8 h 30 à 16 h 30, du lundi au vendredi.",
                        "Rythme adapté si tu travailles déjà à temps partiel.")),
        ])
        requirements = " ".join([
            LEVEL_REQUIREMENTS.get(level, "Pas de diplôme demandé."),
            rng.choice(("Ouvert aux demandeurs d'emploi et aux jeunes suivis par la Mission "
                        "Locale.", "Financement possible par France Travail ou la Région.",
                        "Rémunération possible pendant la formation.")),
        ])
        apply = rng.choice((
            "Parles-en à ton conseiller Mission Locale ou France Travail : il t'inscrit à la "
            "réunion d'information.",
            "Contacte le centre de formation : un entretien et des tests de positionnement "
            "sont prévus.",
            "Viens à la réunion d'information du centre, sans rendez-vous.",
        ))
        self.add(
            "training", title=title, organisation=centre.organisation, commune=centre.commune,
            trade=trade, contract_type="formation", start_date=start,
            end_date=start + timedelta(days=length - 1), expires_on=expires,
            description=description, requirements=requirements, how_to_apply=apply,
            places_available=rng.randint(6, 16),
        )

    def apprenticeship(self, trade: Trade) -> None:
        rng = self.rng
        company = self.employer(trade)
        centre = min(self.centres, key=lambda c: (c.commune["epci"] != company.commune["epci"],
                                                  rng.random()))
        level, diploma = self.qualification(trade, APPRENTICE_LEVELS)
        contract = "apprentissage" if rng.random() < 0.85 else "contrat de professionnalisation"
        start = self.today + timedelta(weeks=rng.randint(2, 20))
        years = APPRENTICE_YEARS.get(level, 1)
        end = start + timedelta(days=365 * years - 1)
        expired = self.expired()
        expires = self.today - self.days(1, 10) if expired else max(
            start - self.days(0, 14), self.today + timedelta(days=1))
        tasks = self.tasks(trade)
        rhythm = rng.choice(("2 semaines en entreprise, 1 semaine en cours",
                             "3 jours en entreprise, 2 jours en cours",
                             "1 semaine sur 2 en entreprise"))
        article = ARTICLE.get(level, "le")
        description = " ".join([
            self.intro(company),
            f"Tu prépares {article} {lower_first(diploma)} en alternance avec {the(centre.name)} : "
            f"{rhythm}.",
            f"En entreprise, ton tuteur t'apprend à {tasks[0]} et à {tasks[1]}.",
            "Salaire selon ton âge et ton année de contrat.",
        ])
        age = ("Avoir entre 16 et 29 ans (sans limite d'âge avec une reconnaissance de handicap)."
               if contract == "apprentissage" else "Ouvert aux jeunes de 16 à 25 ans et aux "
               "demandeurs d'emploi.")
        apply = rng.choice((
            "Envoie ton CV et quelques lignes sur ce qui t'attire dans le métier.",
            "Le centre de formation t'aide à candidater : contacte-le ou passe par la Mission "
            "Locale.",
            "Viens aux portes ouvertes du centre de formation pour rencontrer l'entreprise.",
            "Postule avec ou sans CV auprès de la Mission Locale.",
        ))
        kind_label = "Apprenti" if contract == "apprentissage" else "Contrat pro"
        self.add(
            "apprenticeship", title=f"{kind_label} {trade.name} (H/F) — {diploma}",
            organisation=company.organisation, commune=company.commune, trade=trade,
            contract_type=contract, start_date=start, end_date=end, expires_on=expires,
            description=description,
            requirements=" ".join([age, LEVEL_REQUIREMENTS.get(level, "Débutant accepté.")]),
            how_to_apply=apply, places_available=1,
        )

    def internship(self, trade: Trade, seconde: bool) -> None:
        rng = self.rng
        company = self.employer(trade)
        if seconde:
            start = seconde_period(self.today)
            end, grade, length = start + timedelta(days=11), "seconde", "2 semaines"
        else:
            start = school_week(self.today + timedelta(weeks=rng.randint(2, 20)))
            end, grade, length = start + timedelta(days=4), "3e", "5 jours"
        expired = self.expired()
        expires = self.today - self.days(1, 10) if expired else max(
            start - self.days(7, 21), self.today + timedelta(days=1))
        task = self.tasks(trade, 1)[0]
        others = self.pick(("le bureau d'études", "la maintenance", "la qualité",
                            "la logistique", "le magasin", "les méthodes"), 2)
        description = " ".join([
            f"Stage d'observation de {length} pour les élèves de {grade}, du {day_label(start)} "
            f"au {day_label(end)}.",
            self.intro(company),
            f"Tu observes l'équipe {task} et tu poses toutes tes questions.",
            f"Tu découvres aussi {others[0]} et {others[1]}.",
            rng.choice(("De 8 h 30 à 16 h 30, pas plus de 7 heures par jour.",
                        "Horaires de journée, avec une pause repas sur place.")),
            "Pour ta sécurité, tu ne conduis pas de machine : tu regardes et tu aides sur des "
            "tâches simples.",
        ])
        requirements = " ".join([
            f"Élève de {grade}.",
            "Convention de stage signée par ton établissement.",
            rng.choice(("Chaussures fermées ; l'entreprise te prête les équipements de sécurité.",
                        "Curiosité et ponctualité, c'est tout.")),
        ])
        apply = rng.choice((
            "Envoie un petit message ou une lettre : qui tu es, pourquoi ce métier t'intéresse. "
            "Ton établissement prépare la convention.",
            "Demande à ton professeur principal de contacter l'entreprise avec toi.",
            "Tu peux aussi te faire aider par la Mission Locale pour ta demande de stage.",
        ))
        self.add(
            "internship",
            title=rng.choice((f"Stage de {grade} : découvre le métier {of_name(trade.name)}",
                              f"Stage d'observation de {grade} — {trade.name}")),
            organisation=company.organisation, commune=company.commune, trade=trade,
            contract_type="stage", start_date=start, end_date=end, expires_on=expires,
            description=description, requirements=requirements, how_to_apply=apply,
            places_available=rng.randint(1, 3),
        )

    def immersion(self, trade: Trade) -> None:
        rng = self.rng
        company = self.employer(trade)
        start = self.today + self.days(3, 21)
        expired = self.expired()
        expires = self.today - self.days(1, 10) if expired else self.today + self.days(30, 90)
        tasks = self.tasks(trade)
        description = " ".join([
            self.intro(company),
            "L'entreprise t'accueille en immersion (PMSMP), de 1 jour à 1 mois.",
            f"Tu découvres le métier {of_name(trade.name)} en vrai : {tasks[0]}, {tasks[1]}.",
            rng.choice(("C'est l'occasion de vérifier que le métier te plaît et de te faire "
                        "connaître de l'employeur.",
                        "Si ça se passe bien, l'entreprise peut te proposer un contrat.")),
            "Horaires de l'équipe, en journée.",
        ])
        requirements = " ".join([
            "Tu es suivi par la Mission Locale, France Travail ou Cap emploi, ou tu es salarié "
            "et tu veux changer de métier.",
            "L'immersion n'est pas payée : tu gardes ton statut et tes droits.",
            "Débutant accepté, aucun diplôme demandé.",
        ])
        apply = rng.choice((
            "Demande une immersion à ton conseiller : il prépare la convention avec toi et "
            "l'entreprise.",
            "Fais ta demande sur la plateforme « Immersion facilitée » ; ton conseiller valide "
            "la convention.",
        ))
        self.add(
            "immersion",
            title=rng.choice((f"Immersion : découvre le métier {of_name(trade.name)}",
                              f"Essaie le métier {of_name(trade.name)} en immersion")),
            organisation=company.organisation, commune=company.commune, trade=trade,
            contract_type="PMSMP", start_date=start, expires_on=expires,
            description=description, requirements=requirements, how_to_apply=apply,
            places_available=rng.randint(1, 2),
        )

    def mrs(self, trade: Trade) -> None:
        rng = self.rng
        company = self.employer(trade)
        epci = company.commune["epci"]
        agency = self.service("france_travail", epci, "Agence France Travail")
        day = working_day(self.today + self.days(5, 45), self.today)
        posts = rng.randint(2, 12)
        contract = rng.choice(("CDI", "CDD", "intérim"))
        shared = rng.random() < 0.3
        who = (f"plusieurs entreprises qui recrutent pour le métier {of_name(trade.name)}"
               if shared
               else company.name)
        abilities = self.pick(ABILITIES, 3)
        description = " ".join([
            f"France Travail organise le {day_label(day)} une session de recrutement par "
            f"simulation (MRS) pour {who} : {posts} postes en {contract}.",
            f"Pas de CV : tu passes des exercices qui ressemblent au travail, pour montrer que "
            f"tu sais {abilities[0]}, {abilities[1]} et {abilities[2]}.",
            "Si tu réussis, tu rencontres directement le recruteur.",
            rng.choice(("Session de 9 h à 12 h 30.", "Session de 13 h 30 à 17 h.",
                        "Exercices sur tablette, le matin.")),
        ])
        self.add(
            "mrs", title=rng.choice((f"Recrutement sans CV (MRS) : {trade.name}",
                                     f"Session MRS {trade.name} — {posts} postes")),
            organisation=agency, commune=company.commune, trade=trade, contract_type=contract,
            start_date=day, end_date=day, expires_on=day - timedelta(days=2),
            description=description,
            requirements="Pas de diplôme demandé. Pas d'expérience demandée. Débutant accepté.",
            how_to_apply=rng.choice((
                "Inscris-toi auprès de ton agence France Travail ou de la Mission Locale.",
                "Demande à ton conseiller de t'inscrire à la session.",
            )),
            places_available=rng.randint(8, 20),
        )

    def event(self, event_type: str) -> None:
        rng = self.rng
        day = working_day(self.today + self.days(1, 55), self.today,
                          saturday=event_type in ("forum", "open_day", "escape_game"))
        length = 0
        trade = None
        places: int | None = None
        hours = rng.choice(("De 9 h à 12 h.", "De 14 h à 17 h.", "De 9 h 30 à 16 h 30.",
                            "De 13 h 30 à 18 h."))
        commune = self.commune(power=EVENT_POWER)
        epithet = self.epithet(commune)
        club = f"Club des entreprises {epithet}" + DEMO
        apply = rng.choice(("Entrée libre, sans inscription.",
                            "Inscris-toi auprès de la Mission Locale ou viens directement.",
                            "Inscription conseillée auprès de ton conseiller."))
        requirements = "Ouvert à tous, gratuit."
        if event_type == "job_dating":
            title = rng.choice(("Job dating de l'industrie", "Job dating sans CV",
                                "Job dating alternance industrie"))
            title += f" {at_place(commune['name'])}"
            organisation = rng.choice((self.service("mission_locale", commune["epci"],
                                                    "Mission Locale"), club))
            description = (f"Une dizaine d'entreprises {epithet} recrutent en CDI, en CDD, en "
                           f"intérim et en alternance. Tu passes 10 minutes avec chaque "
                           f"recruteur : pas besoin de CV, viens comme tu es. {hours}")
            requirements = "Ouvert à tous, débutant accepté. Pas de CV demandé."
        elif event_type == "forum":
            title = rng.choice(("Forum des métiers de l'industrie", "Forum emploi et alternance",
                                f"Forum de l'emploi industriel {epithet}"))
            organisation = rng.choice((club, f"Territoire d'industrie {self.territory.short_name}"
                                       + DEMO))
            length = rng.choice((0, 0, 1))
            description = (f"Des entreprises, des centres de formation et des conseillers "
                           f"{at_place(commune['name'])}. Tu poses tes questions sur les "
                           f"métiers, les formations et l'alternance, et tu repars avec des "
                           f"contacts. {hours}")
        elif event_type in ("open_day", "factory_visit") and (
                event_type == "factory_visit" or rng.random() < 0.6):
            company = rng.choice(self.companies)
            commune, organisation = company.commune, company.organisation
            trade = self.by_name.get(COMPANY_TYPES[company.kind].main_trade)
            product = rng.choice(COMPANY_TYPES[company.kind].products)
            if event_type == "open_day":
                title = f"Portes ouvertes chez {company.name}"
                description = (f"{company.name} fabrique {product}. Viens voir les ateliers, "
                               f"les machines et rencontrer les équipes. {hours}")
            else:
                title = rng.choice((f"Visite d'usine : {company.name}",
                                    f"Visite d'atelier chez {company.name}"))
                description = (f"Visite guidée de 1 h 30 : tu vois comment on fabrique "
                               f"{product}, et les salariés te parlent de leur métier. {hours}")
                places = rng.randint(10, 20)
                requirements = "Dès 14 ans. Chaussures fermées."
                apply = "Inscris-toi auprès de la Mission Locale : les places sont limitées."
        elif event_type == "open_day":
            centre = rng.choice(self.centres)
            commune, organisation = centre.commune, centre.organisation
            title = f"Portes ouvertes : {centre.name}"
            description = (f"Découvre les ateliers, les formations et l'apprentissage avec les "
                           f"formateurs et les apprentis. Des entreprises qui recrutent des "
                           f"alternants seront là. {hours}")
        elif event_type == "escape_game":
            company = rng.choice(self.companies)
            commune = company.commune
            organisation = f"Territoire d'industrie {self.territory.short_name}" + DEMO
            title = "Escape game « C'est quoi ton métier ? »"
            length = rng.choice((0, 1, 2, 4))
            description = (f"Dans les ateliers {of_name(company.name)}, tu as une heure avec ton "
                           f"équipe pour résoudre des énigmes et découvrir les métiers qui se "
                           f"cachent dans l'usine. Sessions toutes les heures, {hours[0].lower()}"
                           f"{hours[1:]}")
            requirements = "Dès 13 ans, en famille, entre amis ou en recherche d'emploi. Gratuit."
            apply = "Inscris ton équipe (2 à 6 personnes) auprès de la Mission Locale."
            places = rng.choice((24, 30, 36, 48))
        else:  # info_session
            trade = self.trade()
            topic = rng.choice((
                "la POEI, pour te former avant d'être embauché", "l'apprentissage dans l'industrie",
                f"le métier {of_name(trade.name)}", "l'immersion en entreprise",
            ))
            title = f"Réunion d'information : {topic}"
            hours = rng.choice(("De 9 h 30 à 11 h.", "De 14 h à 15 h 30.", "De 17 h à 18 h 30."))
            organisation = rng.choice((self.service("france_travail", commune["epci"],
                                                    "France Travail"),
                                       self.service("mission_locale", commune["epci"],
                                                    "Mission Locale")))
            description = (f"En une heure et demie, un conseiller t'explique {topic} : comment "
                           f"ça marche, pour qui, et les prochaines dates. Tu poses tes "
                           f"questions. {hours}")
            places = rng.randint(12, 20)
            apply = "Inscris-toi auprès de ton conseiller ou viens 10 minutes avant le début."
        end = day + timedelta(days=length)
        self.add(
            "event", title=title, organisation=organisation, commune=commune, trade=trade,
            event_type=event_type, start_date=day, end_date=end, expires_on=end,
            description=description, requirements=requirements, how_to_apply=apply,
            places_available=places,
        )
