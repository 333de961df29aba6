"""What a message says in passing, beside its intent: an age, a car or none, a contract type,
"plus loin", a school year, a disability recognition, which offer ("le premier"), English,
anger, a refusal. Every pattern runs on folded text (bot.text.fold) and is bounded."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import fold

_AGE = re.compile(
    r"\b(?:j ai|jai|g|il a|elle a|a|age de|agee? de|de|moi|suis|j vais avoir|vais avoir|"
    r"fils|fille|ado)\s?(1[1-9]|[2-6]\d)\s?ans?\b|^(1[1-9]|[2-6]\d)\s?ans?\b")
_NO_CAR = re.compile(
    r"\b(?:pas|ni|aucun|sans|g pa|g pas|jai pas|j ai pas|j ai plus|plus de|pas encore)\s"
    r"(?:de |d |le |la |mon |ma |encore |encore le |encore de |une |1 )?"
    r"(?:permis|permi|voiture|vehicule|caisse|bagnole|voit|moto|scooter|moyen de locomotion)\b|"
    r"\bpas (?:de )?vehicule\b|\bpas motorise|\bnon motorise|\bsans permis\b|\ba pied\b|"
    r"\ben bus\b|\ben car\b|\ben transport en commun")
_CAR = re.compile(
    r"\b(?:j ai|jai|g|avec|il a|elle a|on a)\s(?:le |un |une |1 |mon |ma |ma propre |une petite )?"
    r"(?:permis|voiture|vehicule|caisse|bagnole|moto|scooter|voit)\b|\bmotorise|\bvehicule\b|"
    r"\bprete (?:sa|une|la) (?:voiture|caisse|voit)\b")
_CONTRACT = [
    (re.compile(r"\bcdi\b|\bcontrat a duree indeterminee\b|\bindetermine"), "CDI"),
    (re.compile(r"\bcdd\b|\bcontrat a duree determinee\b"), "CDD"),
    (re.compile(r"\binterim|\binterimaire|\bmission d interim\b"), "intérim"),
]
_FARTHER = re.compile(r"\bplus loin\b|\+ ?loin\b|\bplus large\b|\belargi|\bautour\b.{0,20}\bplus\b|"
                      r"\bplus de km\b|\bailleurs\b|\bd autres? (?:coins?|villes?|communes?)\b")
_RADIUS = re.compile(r"\b(\d{1,3})\s?(?:km|kilometres?|bornes)\b")
_SECONDE = re.compile(r"\b(?:seconde|2nde|2de|2nd|2eme annee de lycee)\b")
_TROISIEME = re.compile(r"\b(?:3e|3eme|3em|troisieme|3 eme)\b")
_QUATRIEME = re.compile(r"\b(?:4e|4eme|4em|quatrieme|4 eme)\b")
_PUPIL = re.compile(r"\b(?:college|collegien|collegienne|lycee|lyceen|lyceenne|eleve|en classe|"
                    r"prof principal|professeur principal|mon ecole|stage d observation|"
                    r"stage de (?:3e|3eme|seconde|2nde|4e))\b")
_RQTH = re.compile(r"\brqth\b|\btravailleur handicape|\breconnu handicape|\breconnaissance de "
                   r"(?:la )?qualite de travailleur|\bj ai un handicap\b|\bhandicape\b")
_ORDINALS = [
    (re.compile(r"\b(?:premier|premiere|1er|1ere|1re|1e|le 1|la 1|numero 1|n 1|#1)\b"), 0),
    (re.compile(r"\b(?:deuxieme|2eme|2e|2nd|second|le 2|la 2|numero 2|n 2|#2)\b"), 1),
    (re.compile(r"\b(?:troisieme|3eme|3e|le 3|la 3|numero 3|n 3|#3)\b"), 2),
    (re.compile(r"\b(?:dernier|derniere)\b"), -1),
]
_ENGLISH = {"i", "im", "i m", "the", "looking", "please", "near", "factory", "want", "how",
            "what", "is", "can", "you", "speak", "english", "need", "help", "work", "where",
            "hello", "hi", "my", "am", "are", "do", "does", "with", "there", "find",
            "apprenticeship", "training", "jobs", "any", "some", "hey", "thanks", "thank",
            "anyone", "who", "me", "could", "would", "in", "of", "to", "around", "internship",
            "understand", "dont", "don", "sorry", "french", "know", "just", "show",
            "your", "this", "that", "it", "speaks", "why", "yes", "okay", "have", "has",
            "apply", "company", "companies"}
_FRENCH = {"je", "tu", "le", "la", "les", "de", "du", "un", "une", "des", "et", "est", "pour",
           "cherche", "moi", "pas", "c", "ca", "salut", "bonjour", "j", "t", "il", "elle",
           "vous", "mon", "ma", "mes", "quoi", "comment", "boulot", "travail", "taf", "oui",
           "non", "merci", "vers", "stp", "svp", "en", "sur", "dans"}
_ANGER = re.compile(
    r"\b(?:t es nul|tes nul|t nul|t es nulle|trop nul|nul a chier|naze|de la merde|merde|"
    r"putain|ptn|connard|conard|connasse|debile|abruti|idiot|imbecile|crétin|cretin|"
    r"ca marche pas ton|marche pas ton|sert a rien ton|tu sers a rien|tu comprends rien|"
    r"comprend rien|tu piges rien|fdp|ta gueule|ferme la|va te faire|nique|enerve|ras le bol|"
    r"j en ai marre de toi|inutile|nullos|bidon|arnaque|pourri|nul nul|t es con|tes con|"
    r"t con|march pa|marche pa|marche pas|sert a rien ton|ton truc|ton bot|servent a rien|"
    r"sert a rien votre|vos trucs|votre truc|votre site|votre machin)\b")
_REFUSAL = re.compile(
    r"\b(?:j?prefere pas|j?prefere ne pas|j?pref pas|veux pas|voudrais pas|plutot pas|pas envie|"
    r"pas de nom|pas de prenom|sans nom|sans prenom|anonyme|anonymement|non merci|secret|"
    r"pas obligé|pas oblige|aucun|rien|donne pas|donnerai pas|pas donner|sans donner|"
    r"pas mon nom|pas mon prenom)\b|^(?:non|nan|no|nope|pas de nom)$")
_TINY = re.compile(r"^(?:ok|okay|oki|k|mdr|lol|ptdr|hein|quoi|euh|heu|hmm|hm|bah|ben|bof|"
                   r"ah|oh|hum|xd|jsp|chepa|chais pas)$")
# « jsp », « je sais pas trop », « aucune idée »: not knowing yet is an answer too.
_UNSURE = re.compile(r"^(?:jsp|jsais pas|je sais pas|j sais pas|chais pas|chai pas|sais pas|"
                     r"je ne sais pas|aucune idee|j en sais rien|jen sais rien|j hesite|"
                     r"je sais pas trop|jsp trop|pas d idee|nsp|je sais pas encore|jsp encore|"
                     r"jsp du tout|je sais pas du tout|pas encore|j ai pas d idee)"
                     r"(?: (?:trop|encore|du tout|vraiment|quoi|moi|en fait|mdr|lol|dsl))*$")
_CURRENT_JOB = re.compile(r"(?:\bje suis|\bjsuis|\bchui|\bj etais|\bje bosse comme|"
                          r"\bje travaille comme|\bactuellement|\bancien|\bancienne|"
                          r"\ben tant que|\bdepuis \d+ ans|\bj ai ete|\bje fais)"
                          r"(?: \w+){0,2} ?$")
_LEFT_SCHOOL = re.compile(r"\b(?:sorti|sortie|quitte|arrete|fini|plus)\s(?:du|le|de|au|l)\s"
                          r"(?:lycee|college|ecole|cours)\b|\bdeja sortie? du\b|\bdecroch\w*|"
                          r"\bdescolaris\w*|\bne va plus (?:au|a l) (?:lycee|college|ecole)\b|"
                          r"\b(?:va|vais|allons) plus (?:au|a l) (?:lycee|college|ecole)\b")
_NOT_INDUSTRY = re.compile(
    r"\b(?:infirmier|infirmiere|aide soignant|aide soignante|medecin|docteur|sage femme|"
    r"pilote de ligne|pilote d avion|pilote|hotesse de l air|steward|boulanger|boulangere|"
    r"patissier|patissiere|coiffeur|coiffeuse|estheticienne|vendeur|vendeuse|caissier|"
    r"caissiere|policier|policiere|gendarme|pompier|militaire|soldat|professeur|prof des "
    r"ecoles|enseignant|avocat|avocate|veterinaire|footballeur|youtubeur|influenceur|"
    r"influenceuse|cuisinier|cuisiniere|serveur|serveuse|animateur|animatrice|educateur|"
    r"educatrice|auxiliaire de puericulture|puericultrice|assistante maternelle|"
    r"agent immobilier|banquier|comptable|secretaire|journaliste|acteur|actrice|chanteur|"
    r"chanteuse|graphiste|architecte|kine|kinesitherapeute|pharmacien|dentiste|"
    r"psychologue|jardinier|paysagiste|fleuriste|toiletteur|agriculteur|eleveur)\b")


@dataclass
class Mentions:
    age: int | None = None
    has_car: bool | None = None
    contract: str | None = None
    farther: bool = False
    radius_km: int | None = None
    grade: str | None = None
    pupil: bool = False
    left_school: bool = False  # « il a arrêté le lycée »: no longer a pupil
    rqth: bool = False
    ordinal: int | None = None  # 0, 1, 2 or -1 (the last)
    english: bool = False
    angry: bool = False
    refusal: bool = False
    tiny: bool = False
    unsure: bool = False  # « jsp », « aucune idée »
    outside_industry: str | None = None  # the word, e.g. "infirmier"


def read(text: str | None) -> Mentions:
    raw = (text or "").strip()
    if raw.startswith("/"):  # a button's payload says nothing in passing
        return Mentions()
    folded = fold(raw)[:2000]
    found = Mentions()
    age = _AGE.search(folded)
    if age:
        found.age = int(age.group(1) or age.group(2))
    no_car, car = _NO_CAR.search(folded), _CAR.search(folded)
    if no_car and car:  # « sans voiture ? non j'ai une voiture »: the last said wins
        found.has_car = car.start() > no_car.start()
    elif no_car:
        found.has_car = False
    elif car:
        found.has_car = True
    for pattern, contract in _CONTRACT:
        if pattern.search(folded):
            found.contract = contract
            break
    found.farther = bool(_FARTHER.search(folded))
    radius = _RADIUS.search(folded)
    if radius:
        found.radius_km = min(int(radius.group(1)), 100)
    if _SECONDE.search(folded):
        found.grade = "seconde"
    elif _TROISIEME.search(folded):
        found.grade = "3e"
    elif _QUATRIEME.search(folded):
        found.grade = "4e"  # said back as « 4e »; searched with the 3e's offers
    found.pupil = (bool(_PUPIL.search(folded)) or (found.grade is not None and "stage" in folded)) \
        and not _LEFT_SCHOOL.search(folded)
    found.left_school = bool(_LEFT_SCHOOL.search(folded))
    found.rqth = bool(_RQTH.search(folded))
    for pattern, index in _ORDINALS:
        if pattern.search(folded):
            found.ordinal = index
            break
    words = folded.split()
    english = sum(1 for w in words if w in _ENGLISH)
    french = sum(1 for w in words if w in _FRENCH)
    found.english = english >= 2 and english > 2 * french
    found.angry = bool(_ANGER.search(folded))
    found.refusal = bool(_REFUSAL.search(folded))
    stripped = re.sub(r"[\W_]+", "", raw)
    found.tiny = not stripped or bool(_TINY.match(folded)) or (
        len(raw) <= 3 and not raw.isalnum())
    found.unsure = bool(_UNSURE.match(folded.strip(" ?!.")))
    outside = _NOT_INDUSTRY.search(folded)
    if outside and not _CURRENT_JOB.search(folded[max(0, outside.start() - 40):outside.start()]):
        found.outside_industry = outside.group(0)  # « je suis caissière » is a past, not a wish
    return found


def ordinal_only(text: str | None) -> int | None:
    """ "le premier", "la 2e", "ça m'intéresse le dernier": which offer of the page."""
    return read(text).ordinal
