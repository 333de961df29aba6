"""How the dialogue reads a message: the intents it groups, the patterns it looks for in
folded text (questions, pay, durations, who helps...) and small helpers on names and places."""

from __future__ import annotations

import re

from bot.catalogue.answers import (
    INTENT_KINDS,
    TRADE_KINDS,
)
from bot.catalogue.search import ANY, RADII_KM, RADII_NO_CAR_KM
from bot.dialogue.context import Search
from bot.labels import search_kind_label
from bot.places import place_by_key
from bot.text import fold

TEXT = "text"  # a message given as text and buttons (facts), not a domain.yml response

FAQ_INTENTS = {
    "ask_mrs", "ask_immersion_info", "ask_job_info", "ask_salary", "ask_no_diploma",
    "ask_financial_aid", "ask_mobility", "ask_housing", "ask_cv_help", "ask_industry_image",
    "ask_disability", "ask_orientation", "ask_local_services", "ask_bus_schedule",
    "bot_challenge", "ask_capabilities",
}
SEARCH_INTENTS = set(INTENT_KINDS)
MISS_INTENTS = {"nlu_fallback", "other_topic"}
# Questions asked in passing (after results): a message that does not answer them is simply
# read as a new message, never as a wrong answer.
SOFT_SLOTS = {"results", "choice", "kind"}
POLITENESS = {"greet", "thank", "goodbye"}
JOB_TALK = re.compile(r"\b(?:candidatures?|refus|refuse|refusee|interim|cdi|cdd|cv|entretiens?|"
                      r"postule|postuler|taf|boulot|job|emploi|offres?|recrut\w*|patron|"
                      r"embauch\w*|(?:je )?(?:re)?cherche depuis|depuis \d+ mois)\b")
# Facts asked in words the NLU has no intent for, read before anything else.
TOPICS = [(re.compile(p), fact_id) for p, fact_id in (
    (r"\brsa\b.{0,40}\b(?:travail|boulot|taf|job|emploi|salaire|bosse|bosser|travaille)\b|"
     r"\b(?:travail|boulot|taf|job|emploi|salaire|bosse|bosser|travaille)\b.{0,40}\brsa\b",
     "rsa_and_work"),
    (r"\bobligation de formation\b|\bobligatoire\b.{0,30}\b18 ans\b|"
     r"\b(?:16|seize) ?(?:a|-) ?(?:18|dix huit) ans\b.{0,30}\boblig", "training_obligation"),
    (r"\btransition pro\w*|\bptp\b|\btransitions pro\b|\breconver\w*.{0,40}\bcdi\b|"
     r"\ben cdi\b.{0,60}\b(?:reconver|changer de metier|me former|formation)", "career_change"),
    (r"\bcfa\b.{0,40}\b(?:paye|payee|paie|remunere|salaire)\b|"
     r"\b(?:paye|payee|paie|remunere)\b.{0,40}\bcfa\b", "apprentice_pay"),
    (r"\bdangereu\w*|\bsans danger\b|\b(?:touche|toucher|utiliser) (?:aux |les |des )?"
     r"machines?\b|\bchaussures de securite\b|\btenue (?:speciale|de travail)\b",
     "internship_safety"),
    (r"\bcap\b(?! emploi).{0,40}\bbac ?pro\b|\bbac ?pro\b.{0,40}\bcap\b(?! emploi)",
     "cap_or_bac_pro"),
    (r"\b(?:diplome|diplomes|cap|bac|bts|titre pro\w*|caces|habilitation)\b.{0,40}"
     r"\b(?:valable|valables|expire|perime|validite|a vie|toute la vie)\b|"
     r"\b(?:valable|validite)\b.{0,30}\b(?:diplome|caces|cap|bac)\b", "diploma_validity"),
    (r"\b(?:agence|agences|boite|boites) d ?interim\b|\binterim\b.{0,30}\b(?:c est quoi|"
     r"comment ca marche|ca marche comment|fonctionne|ca se passe)\b|\b(?:c est quoi|cest quoi|"
     r"c koi|ckoi|c quoi) (?:l |un |une |de l )?interim", "temp_agency"),
    (r"\bbts\b.{0,40}\b(?:alternance|apprentissage|apprenti|alternant)\b|"
     r"\b(?:alternance|apprentissage)\b.{0,40}\bbts\b", "bts_apprenticeship"),
    (r"\bavec (?:mes |des |[1-9] |deux |trois |quatre |un |une |mon |ma )?(?:enfants?|gosses|"
     r"petits|bebes?|fils|filles?)\b.{0,40}\b(?:jouable|compatible|possible|gerable|faisable|"
     r"concilier|organiser)\b|\b(?:concilier|organiser)\b.{0,30}\benfants?\b|"
     r"\bgarde d enfants?\b|\bfaire garder\b|\bnounou\b|\bcreche\b|"
     r"\bassistante? maternelle\b|\b(?:mere|maman|pere|papa) (?:seule?|solo|celibataire)\b",
     "childcare"),
    (r"\bcontrats? (?:de )?pro(?:fessionnalisation)?\b", "apprenticeship_vs_pro_contract"),
    (r"\bqui (?:paie|paye|finance|rembourse)\b.{0,20}\bformations?\b|\bformations?\b.{0,30}"
     r"\b(?:payantes?|gratuites?|financee?s?|financement|coute|coutent)\b", "training_pay"),
    (r"\bcsp\b|\bsecurisation professionnelle\b", "csp"),
    (r"\b(?:on|ils|elles|personne|les entreprises|les boites) (?:ne )?(?:me |m )?(?:rappelle|"
     r"rappellent|repond|repondent|recontacte\w*)\b.{0,10}\b(?:jamais|pas|plus)\b|"
     r"\bpourquoi (?:on|ils|personne)\b.{0,25}\b(?:rappel\w*|repond\w*)|\bpas de (?:reponse|"
     r"retour)s?\b.{0,30}\b(?:candidatures?|cv|postul\w*)", "applications_follow_up"),
    (r"\bdiff\w*\b.{0,30}\bstage\b.{0,20}\b(?:alternance|apprentissage)\b|\bdiff\w*\b.{0,30}"
     r"\b(?:alternance|apprentissage)\b.{0,20}\bstage\b|\bstage (?:ou|et|vs) (?:une |l )?"
     r"(?:alternance|apprentissage)\b.{0,20}\b(?:diff|quoi|koi)", "internship_vs_apprenticeship"),
    (r"\bentreprises? adaptees?\b|\besat\b|\bpostes? (?:plus |mieux )?adaptes?\b|"
     r"\bamenagement (?:de|du) poste\b|\btravail adapte\b|\bmilieu protege\b|"
     r"\bmedecin du travail\b", "adapted_work"),
    (r"\b(?:aides?|rembours\w*|payer|prise en charge|prime)\b.{0,30}\b(?:transports?|trajets?|"
     r"essence|carburant|abonnement|train|navette|deplacements?)\b|\b(?:transports?|trajets?|"
     r"essence|deplacements?)\b.{0,30}\b(?:aides?|rembours\w*|prise en charge|prime)\b",
     "transport_aid"),
    (r"\b(?:avoir|trouver|acquerir|gagner|faire) (?:de l |d l |d |une |de |1 )?experience\b|"
     r"\bsans experience\b.{0,30}\b(?:comment|possible|faire|prend|trouver)\b|\bpersonne (?:ne )?"
     r"(?:me|nous|m) (?:prend|veut|embauche)\b.{0,30}\bexperience\b", "first_experience"),
    (r"\b(?:cours|apprendre|formation|classes?) (?:de |du |le )?(?:francais|fle)\b|"
     r"\bfrench (?:class|course|lesson)", "french_classes"),
    (r"\b(?:stage|stagiaire)\b.{0,60}\b(?:horaires?|combien d heures|heures par|assurance|"
     r"assure|accident)\b|\b(?:horaires?|assurance|accident)\b.{0,60}\bstage\b",
     "internship_hours"),
)]
# « faut quel diplôme ? », « en bac pro c possible ? », « faut le caces ? » about a known trade:
# its ways in. « sans diplôme » is the no-diploma fact, not this.
WAYS_IN = re.compile(r"\bquel(?:le)?s? (?:diplome|diplomes|formation|formations|etudes|bac|"
                     r"cap)\b|\b(?:faut|faudrait|il faut|besoin d) ?(?:il )?(?:avoir )?"
                     r"(?:le |la |un |une |des |l )?(?:caces|cap|bac|bts|diplome|diplomes|"
                     r"habilitation|certificat)\b|"
                     r"^(?:et )?(?:en|avec (?:un|le)) (?:bac ?pro|cap|bts|but)\b|"
                     r"\b(?:comment|cmt) (?:on |je |tu )?(?:devient|deviens|devenir)\b|"
                     r"\bpour (?:le )?devenir\b|\bquel parcours\b")
# « ok et les offres alors ? », « tu me montres les annonces ? »: the search known so far.
OFFERS_AGAIN = re.compile(r"^(?:(?:ok|bon|bah|ben|et|alors|donc|mais|du coup|sinon)\b[ ,]*)*"
                          r"(?:(?:tu me (?:montres|remontres|redonnes)|je (?:peux )?(?:voir|revoir)"
                          r"|on (?:voit|regarde)|montre ?moi|remontre ?moi) )?"
                          r"(?:les|des|tes|ces) (?:offres|annonces|postes|resultats)\b"
                          r"(?: (?:alors|du coup|stp|svp|donc))*\W*$")
# « c qui qui va me répondre ? » during a handoff or after it: who reads the request.
WHO_ANSWERS = re.compile(r"\bc(?: est)? qui qui\b|\bqui (?:(?:va|vas|me|m|est ce qui|c est "
                         r"qui) )*(?:repond|repondra|repondre|lit|lire|lira|rappeler|rappelle|"
                         r"contacter|contactera|ecrire|ecrira)\b|\bqui est (?:derriere|au bout)\b|"
                         r"\bc est (?:qui|quoi) (?:la personne|le conseiller|la conseillere)\b|"
                         r"\b(?:un|une) (?:vrai|vraie) (?:personne|humain|conseill\w*)\b.*\?|"
                         r"^(?:mais |et )?(?:c est|c|cest) qui\W*$|^qui (?:ca|c est|est ce)\W*$")
# « ya des métiers proches ? », « et dans l'industrie alors ? » after a trade outside it.
NEAR_TRADES = re.compile(r"\bmetiers? (?:proches?|similaires?|pareils?|voisins?|qui (?:s en )?"
                         r"(?:rapprochent|ressemblent)|du meme genre|dans le meme genre)\b|"
                         r"\b(?:quelque chose|un truc|un metier) (?:de )?"
                         r"(?:proche|similaire|pareil)|"
                         r"^(?:ok |bon |alors |et )*(?:dans|en) l industrie (?:alors )?\W*$|"
                         r"\bqui (?:s en )?(?:rapproche|ressemble)\b")
# « ça se passe où ? », « bon où je me renseigne alors » after a fact: where to go for it.
WHERE_ASKED = re.compile(
    r"^(?:(?:et|bon|ok|alors|mais|donc|du coup)\b[ ,]*)*"
    r"(?:(?:ca se passe|c est|ca a lieu|on fait ca|on le fait|il faut aller|faut aller|"
    r"je dois aller|je (?:me renseigne|m adresse|vais|demande|m inscris)) (?:ou|a quel endroit)\b"
    r"|ou (?:ca|ca se passe|je me renseigne|je m adresse|aller|je vais|je demande|m inscrire|"
    r"s inscrire|on s inscrit)\b)"
    r"|\bou (?:est ce que )?je (?:me renseigne|m adresse|m inscris)\b")
# « et comment je fais pour en avoir une ? » after a fact (the POEI): how to get it.
HOW_TO_GET = re.compile(r"\b(?:comment|cmt) (?:je fais|on fait|faire|ca se fait|je peux)\b.{0,30}"
                        r"\b(?:en (?:avoir|faire|trouver|obtenir|beneficier|demander)|"
                        r"y (?:acceder|avoir droit)|l (?:avoir|obtenir|demander))\b|"
                        r"\b(?:comment|cmt) (?:en )?(?:avoir|obtenir|demander) (?:une?|la|le)\b|"
                        r"\b(?:pour|pr) (?:l avoir|lavoir|l obtenir|en avoir une?|en beneficier|"
                        r"y avoir droit|y acceder|le demander|la demander)\b|"
                        r"\b(?:faut|fo|faudrait|il faut) (?:faire|fer) (?:quoi|koi)\b")
# « et à 18 ans ? », « ah bon mm pas 1 jour ? »: a follow-up on the fact just given.
FOLLOW_UP = re.compile(r"^(?:et|pis|puis|mais|ah bon|ah|serieux|vraiment|meme pas|mm pas) ")
# « ya des aides pour le payer ? » after the driving licence: « it » is what the fact was about.
REFERS_BACK = re.compile(r"\b(?:pour |de )?(?:le|la|les|l) (?:payer|financer|rembourser)\b|"
                         r"\b(?:aides?|financement|payer) pour (?:ca|ce truc)\b")
# « chui en alternance ya 1 aide ? » right after a fact about a cost: the aids of that fact.
AID_ASKED = re.compile(r"\b(?:ya|y a|il y a|existe|des|une|1|d)\b.{0,12}\baides?\b")
COST_TOPICS = {"licence_aid", "mobility", "housing", "training_pay", "childcare", "disability"}
# Words that name a subject of their own (« et cette histoire de recrutement sans CV ? »): a
# message with them is about that, not a follow-up on the fact just given.
CONVENTION = re.compile(r"\bconvention\b|\b(?:accord|autorisation|signature) (?:de |des )?"
                        r"(?:mes |ses )?parents?\b|\bparents? (?:doit|doivent|signe|qui sign)|"
                        r"\bsign\w* (?:mes|les|ses) parents\b|\bparents?\b.{0,20}\bsign\w*|"
                        r"\b(?:je dois|doit|doivent|faut|faut il|il faut|on doit)\b.{0,25}"
                        r"\bsign\w*|\bsign\w*\b.{0,25}\b(?:quelque chose|un truc|un papier|"
                        r"des papiers)\b|\bsign\w* ou pas\b")
# « je l'utilise comment ? » after the CPF: how to use what the fact was about.
USE_IT = re.compile(r"\b(?:je |on |tu )?l utilis\w* comment\b|\bcomment (?:je |on |tu )?"
                    r"(?:peux |peut )?l utilis\w*|\bcomment l utiliser\b|\bcomment (?:je |on )?"
                    r"(?:m en sers|s en sert|en profite)\b")
# « mon fils a 13 ans et veut travailler cet été »: work wished under 16.
WORK_WISH = re.compile(r"\b(?:travailler|bosser|taffer|un job|un taf|un boulot|argent de poche|"
                       r"job d ete|jobs d ete|petit boulot|petits boulots|se faire de l argent|"
                       r"gagner de l argent|gagner des sous|se faire des sous)\b")
# « c'est en brut ou en net ? », « c koi la diff brut et net »
GROSS_NET = re.compile(r"\bbrut\b.{0,25}\bnet\b|\bnet\b.{0,25}\bbrut\b|\ben brut\b\W*$|"
                       r"\ben net\b\W*$")
# « y en a à montbri ? » after the MRS or the immersion: that, at that place.
SOME_THERE = re.compile(r"\b(?:y en a|yen a|y en na|il y en a|ya en a|en ya|en a t il|"
                        r"y en aurait|y en a t il)\b")
SEARCH_OF_TOPIC = {"immersion": "search_immersion", "internship": "search_internship",
                   "escape_game": "search_events", "poei": "search_training",
                   "bts_apprenticeship": "search_apprenticeship",
                   "cap_or_bac_pro": "search_apprenticeship"}
# « c pour de vrai ? » about the bus, the offers or the teams of a demonstration.
FOR_REAL = re.compile(r"\b(?:pour de vrai|c est vrai|c vrai|cest vrai|ca existe (?:vraiment|pour "
                      r"de vrai|en vrai)|c est reel|c reel|c est une blague|c est du serieux|"
                      r"c est fictif|c est une demo|c est faux)\b")
# « tu px m'aider a le fer ? » after advice: Indy cannot do it with you; a person can.
HELP_WITH_IT = re.compile(r"\b(?:tu (?:peux|px|pe|pourrais)|vous pouvez|peux tu|pouvez vous) "
                          r"(?:m |m aider|me l |l )?(?:aider )?(?:a |pour )?(?:le |la |les |l )?"
                          r"(?:faire|fer|ecrire|rediger|corriger|relire)\b")
# After a safety answer: help called, safer now, calling later, asked to pay.
CALLED_HELP = re.compile(r"\b(?:j ai|jai|g|je viens d|on a|ma mere a|mon pere a) ?"
                         r"(?:appele|appeler|contacte|telephone|ecrit)\b.{0,25}\b(?:15|17|18|112|114|115|119|3114|"
                         r"3919|3018|samu|pompiers|police|gendarm\w*|secours|urgences)\b|"
                         r"\bles secours (?:arrivent|sont la|viennent|sont en route)\b")
SAFE_NOW = re.compile(r"\b(?:redescendu|redescendue|suis rentree?|je suis en securite|ca va mieux|"
                      r"sa va mieux|va un peu mieux|je suis a l abri|suis chez moi maintenant|"
                      r"je suis plus sur le pont|je l ai pas fait|j ai rien fait finalement)\b")
CALL_LATER = re.compile(r"\b(?:appeler|appellerai|appelerai|appelle) (?:demain|plus tard|lundi|"
                        r"un autre jour)\b|\b(?:demain|plus tard) (?:j appelle|j appellerai)\b")
STAY_ASKED = re.compile(
    r"\b(?:tu restes?|tu es|t es|t|tu seras) (?:encore |toujours )?(?:la|avec moi)\b|"
    r"\btu (?:pars|t en vas|me laisses) pas\b|\bme laisse pas\b")
CANT_CALL = re.compile(
    r"\b(?:peux pas|peu pas|pe pas|pas le droit d|ose pas|arrive pas a|jpeux pas) (?:t )?"
    r"(?:appeler|telephoner|parler (?:fort|a voix haute|au telephone))\b|"
    r"\b(?:va|vont|risque de) (?:m )?entendre\b|\bpas de (?:credit|forfait)\b")
PAY_ASKED = re.compile(r"\b(?:payer|paye|paie|argent|virement|sous|euros?|rancon)\b")
# « je peux appeler qui en vrai à Montbrison ? »: the real places, whatever the demo.
REAL_CONTACT = re.compile(
    r"\b(?:en vrai|pour de vrai|vraie? (?:personne|conseill\w*|humain))\b.{0,40}"
    r"\b(?:appeler|appelle|joindre|contacter|parler|voir|ecrire|aller)\b|"
    r"\b(?:appeler|joindre|contacter|parler a|voir|aller voir) (?:qui|quelqu un|qqn|qqun) "
    r"(?:en vrai|pour de vrai)\b")
# « JE CHERCHE PAS D'OFFRE », « j'ai déjà mon apprentissage »: no offers wanted.
NO_OFFERS = re.compile(r"\b(?:je veux|jveux|j veux) (?:pas|plus) (?:chercher|de recherche)\b|"
                       r"\bje veux (?:juste )?(?:une explication|comprendre|savoir)\b|"
                       r"\bjuste (?:une info|savoir|comprendre|une question)\b|"
                       r"\b(?:je (?:ne )?cherche|jcherche|je veux|jveux|j veux) (?:pas|plus) "
                       r"(?:d offres?|d annonces?|de (?:job|taf|travail|boulot|stage|formation))\b|"
                       r"\bpas d offres? (?:merci|stp|svp)\b|\bj ai deja (?:mon|ma|un|une) "
                       r"(?:apprentissage|alternance|contrat|patron|employeur|entreprise|job|taf|"
                       r"boulot|stage|cdi|poste)\b")
# « je cherche depuis 6 mois et rien »: discouragement, not a request.
DISCOURAGED_WORDS = re.compile(r"\b(?:rien|personne|aucune?|jamais|refus\w*|depuis|toujours pas)\b")
# « j'ai pas parlé de diplôme », « c'est pas ma question »: Indy misread; it says so.
MISREAD_BY_INDY = re.compile(r"\bj ai (?:pas|jamais) (?:parle|dit|demande)\b|\bjai (?:pas|jamais) "
                             r"(?:parle|dit|demande)\b|\bc est pas (?:ma|la) question\b|"
                             r"\btu (?:reponds|repond) pas\b|\brien a voir\b|"
                             r"\bpas ce que (?:j ai|je t ai|jai) demande\b|"
                             r"\bje (?:te )?demandais\b")
# « je peux venir sans inscription ? », « il faut s'inscrire comment ? »
REGISTER = re.compile(r"\binscri\w*|\bsans (?:m )?inscri\w*|\bs inscrire\b|\bm inscrire\b")
# « c quoi lalternance exactement ? », « l'apprentissage ça marche comment ? »: its definition.
APPRENTICE_WHAT = re.compile(
    r"\b(?:c (?:est )?(?:quoi|koi)|cest quoi|ckoi|qu est ce que|ca veut dire quoi|le principe|"
    r"ca marche comment|comment ca marche|explique)\b.{0,8}\b(?:l ?)?(?:l?alternance|"
    r"l?apprentissage)\b|\b(?:l?alternance|l?apprentissage)\b.{0,12}\b(?:c (?:est )?(?:quoi|koi)|"
    r"exactement|ca marche comment|le principe)\b")
# « conducteur de presse c pas conduire une voiture ? », « usineur ça consiste en quoi ? »
TRADE_WHAT = re.compile(r"\bc (?:est )?(?:pas|quoi|koi)\b|\bcest (?:pas|quoi)\b|\bca consiste\b|"
                        r"\bqu est ce que c est\b|\bca fait quoi\b|\bon fait quoi\b|"
                        r"\bc est comment\b|\bca veut dire quoi\b")
NO_DIPLOMA = re.compile(r"\b(?:sans|pas de|aucun|pas le|pas mon|pas eu) (?:diplome|bac|cap)")
COMMUTE = re.compile(r"\b(?:comment|cmt|coment) (?:je |j |on |il |elle )?(?:y |m y )?"
                     r"(?:vais|va|aller|me rendre|rendre|venir|vient)\b|"
                     r"\bcomment (?:y|j y|jy) (?:aller|vais|va)\b|"
                     r"\bcmt jy\b|\b(?:comment|cmt) (?:je fais|faire|on fait|je peux faire) pour "
                     r"(?:y )?(?:aller|me rendre|venir)\b|\bj ?y vais comment\b|"
                     r"\by aller comment\b|\b(?:y a|ya|il y a) "
                     r"(?:un|des) (?:bus|car|cars|navettes?|trains?)\b")
UNDECIDED = re.compile(r"\b(?:jsp|jsais pas|sais pas|je ne sais pas|aucune idee|j hesite|"
                       r"perdu|perdue)\b.{0,25}\b(?:quoi faire|ce que je veux|quel metier|"
                       r"que faire|faire quoi|ce que je vais faire|ce qui me plait|dans quoi)\b")
JOB_BUS = re.compile(r"\bbus (?:de l |de l emploi|emploi|des metiers|itinerant)|\bl?emploi\b|"
                     r"\bcamion\b|\bitinerant|\bpasse (?:quand|ou|dans|a|par)\b|\bprochain "
                     r"passage\b|\bindy\b")
ABOUT_INDY = re.compile(r"\b(?:t es|tes|tu es|es tu|t|vous etes|etes vous|c est|je parle a|"
                        r"je parle avec|suis je|parle a|parle avec)\b.{0,25}\b(?:robot|bot|"
                        r"humain|ia|machine|programme|vrai|vraie|personne|chatgpt|automatique)|"
                        r"^(?:robot|bot|ia|humain)\W*$")
CHANGED_MIND = re.compile(r"\b(?:laisse tomber|laisse beton|laissez tomber|annule|annuler|"
                          r"oublie ca|en fait non|finalement non|finalement je prefere pas|"
                          r"plus besoin|"
                          r"j ai change d avis|change d avis|je change d avis|non c est bon|"
                          r"je veux plus|veux plus de conseiller|pas de conseiller)\b")
# Right after a safety answer: Indy misread (« j'ai pas faim », « c'est pas ça »).
MISREAD = re.compile(
    r"\b(?:j ai pas faim|jai pas faim|g pas faim|pas faim|je vais bien|ca va bien|tout va bien|"
    r"c est pas ca|c pas ca|cest pas ca|rien a voir|mal compris|pas du tout ca|non non ca va|"
    r"je (?:ne )?(?:vous |te )?parle pas de (?:ca|nourriture|bouffe|manger|dormir|logement)|"
    r"je rigolais|je plaisante|je plaisantais|c etait pour rire|c etait une blague|"
    r"je suis pas (?:en danger|suicidaire|a la rue|sdf)|j ai (?:un logement|ou dormir|un toit)|"
    r"personne me (?:frappe|tape)|on me frappe pas|(?:pas|jamais) faire de (?:betise|connerie)|"
    r"je vais pas me (?:tuer|suicider|faire du mal))\b")
INTEREST = re.compile(r"\b(?:ca m interesse|ca minteresse|m interesse|interesse|interessee|"
                      r"je postule|postuler|je la veux|je le veux|je prends)\b")
NOT_INTERESTED = re.compile(r"\b(?:pas|jamais|plus|non)\b.{0,20}\b(?:interess|m interess|"
                            r"minteress)|\bpas dit que\b")
AGE_QUESTION = re.compile(r"\b(?:a partir de|des|a) (?:quel|kel) age\b|\bquel age\b|"
                          r"\bage minimum\b|"
                          r"\bpeut (?:on |il |elle )?(?:faire|commencer) (?:une |l |un )?"
                          r"(?:alternance|apprentissage|apprenti)\b.{0,20}\b(?:1[3-5]) ans\b|"
                          r"\b(?:1[3-5]) ans\b.{0,40}\b(?:alternance|apprentissage|apprenti)\b")
ANSWER_INTENTS = {"affirm", "deny", "inform", "nlu_fallback", "other_topic"}
CONFIDENT = 0.6
SURE = 0.8  # enough to act on an intent read beside a question just answered
QUESTION = re.compile(r"\?|^(?:comment|combien|c est quoi|c quoi|ckoi|c koi|quoi|quel|quelle|"
                       r"quels|pourquoi|pk|est ce|ou |quand|y a|ya|il faut|faut il|on peut|"
                       r"je peux|tu peux|c est qui|c qui|c est combien|ca paye|c paye|"
                       r"c est paye|c combien|cb|c cb)")
IMMERSION = re.compile(r"\bimmersion|\bpmsmp\b")
PAY = re.compile(r"\b(?:pay|paye|payee|remunere|remuneration|salaire|argent|thune|gagne|"
                  r"combien|sous|euros?)\b")
WHAT_IS = re.compile(r"\b(?:c est quoi|c quoi|c koi|ckoi|cest quoi|qu est ce que c est|"
                      r"ca veut dire|veut dire quoi|signifie|c est qui|c ki|c qui|diff|"
                      r"difference)\b|\bkoi\b|\bquoi\b")
GLOSSARY = [(re.compile(p), fact_id) for p, fact_id in (
    (r"\bccas\b", "ccas"), (r"\bcej\b|engagement jeune", "cej"),
    (r"\bmrs\b|\brecrutement (?:sans cv|par simulation)", "mrs"),
    (r"\bl?alternance\b|\bl?apprentissage\b", "apprenticeship_what"),
    (r"\bpmsmp\b", "immersion"), (r"\bcap emploi\b", "who_helps_rqth"),
    (r"\brqth\b|\bmdph\b", "disability"),
    (r"\bfaj\b", "faj"), (r"\brsa\b", "rsa"), (r"\bcqpm\b", "cqpm"),
    (r"\b[23] ?x ?8\b|\bpostes? en equipe", "shift_work"), (r"\bcpf\b", "training_pay"),
    (r"\bcap emploi\b", "who_helps_rqth"), (r"\bmission locale\b", "who_helps_16_25"),
    (r"\bfrance travail\b|\bpole emploi\b", "who_helps_26_plus"),
    (r"\bbrut\b.{0,30}\bnet\b|\bnet\b.{0,30}\bbrut\b", "salary_general"),
    (r"\bescape ?game\b|\bl?escape\b", "escape_game"), (r"\bpoei\b", "poei"),
)]
PAY_STRICT = re.compile(r"\b(?:paye|payee|payes|paie|remunere|remuneree|remuneration|salaire|"
                         r"gagne|touche|thune|combien on|c est combien)\b")
# Facts about pay itself: « et en 2e année ? » after one of them is still about pay.
PAY_TOPICS = {"apprentice_pay", "immersion_pay", "internship_pay", "training_pay",
              "salary_general"}
# « c'est payé ? » right after a fact: the pay of what it is about.
PAY_OF_TOPIC = {"poei": "poei", "immersion": "immersion_pay", "internship": "internship_pay",
                "internship_hours": "internship_pay", "cej": "cej", "mrs": "mrs",
                "apprentice_age": "apprentice_pay", "bts_apprenticeship": "apprentice_pay",
                "cap_or_bac_pro": "apprentice_pay", "career_change": "training_pay",
                "escape_game": "escape_game"}
DURATION = re.compile(r"\b(?:dure|duree|combien de (?:temps|tps|jours|semaines)|"
                       r"cb de (?:temps|tps|jours|semaines))\b")
NEARER = re.compile(r"\bplus pres\b|\bplus proche\b|\bmoins loin\b|\bpas loin\b|\btrop loin\b|"
                    r"\btrop de (?:km|route)\b")
TOO_LATE = re.compile(r"\btrop (?:tard|vieux|vieille|age|agee)\b|\ba mon age\b|"
                       r"\b(?:c est|c|que|seulement|reserve) (?:que )?(?:pour|aux) les jeunes\b")
APPRENTICE = re.compile(r"\b(?:apprenti|apprentie|apprentis|alternance|alternant|alternante|"
                         r"apprentissage|contrat pro)\b")
EVENING = range(18, 24)
ABOUT_HELP = re.compile(r"\bgratuit|\banonym|\bsms\b|\bnumero\b|\bose pas\b|\bj ose\b|"
                         r"\bje fais quoi\b|\bjfais quoi\b|\bil (?:va|saura) (?:savoir|le savoir)|"
                         r"\bsache\b|\bsauront\b|\bpolice\b|\bgendarm|\bappeler?\b|\bappel\b|"
                         r"\btchat\b|\bqui (?:repond|va repondre)\b|\bmaintenant\b|"
                         r"\b(?:dire|diront|disent|prevenir|previennent) (?:a|au|aux) "
                         r"(?:ma|mes|mon)\b|"
                         r"\bmes parents\b|\bma mere\b|\bmon pere\b|\bvenir chez moi\b|"
                         r"\b(?:au|a l|a la) (?:college|lycee|ecole|cfa|boulot|taf|travail)\b|"
                         r"\bconfidentiel|\bsecret\b|\bsauront\b|\ben parler\b|\bplainte\b|"
                         r"\bvirer\b|\bvire\b|\blicenci\w*|\bsanction\w*|\ble droit de\b|"
                         r"\bdebarquer\b|\bprison\b|\bplacer?\b|\bfoyer\b|"
                         r"\bvirer\b|\blicenci|\bqui d autre\b|"
                         r"\b(?:a qui|quelqu un a qui|des gens a qui|quelqu un pour) "
                         r"(?:parler|en parler)\b")
# « tu vas le dire à mes parents ? », « toi tu préviens la police ? »: what Indy itself does.
INDY_TELLS = re.compile(r"\b(?:tu|toi tu|vous|indy) (?:vas|va|allez|vai) (?:le |l |en )?(?:dire|"
                        r"raconter|repeter|balancer|prevenir|signaler|appeler|transmettre)\b|"
                        r"\b(?:tu|vous) (?:le |l |en )?(?:dis|diras|previens|previendras|"
                        r"signales|appelles|preveniez|dites|transmets)\b.{0,25}\b(?:police|"
                        r"gendarm|parents?|mere|pere|daron|daronne|ecole|college|lycee|prof|"
                        r"quelqu un|personne|flics?|keufs?)\b|\bqui (?:va|peut) lire\b|"
                        r"\bquelqu un (?:va|peut) lire\b|\bc est enregistre\b")
HUMAN = re.compile(r"\bparler (?:a|avec) (?:qqun|qqn|qq1|quelqu un|quelquun|quelqun|qlq1|"
                   r"une personne|un humain|"
                    r"une vraie personne|un vrai|une vraie|un conseiller|une conseillere)\b|"
                    r"\bun humain\b|\bune vraie personne\b")
CONTACT = re.compile(r"[\w.+-]+ ?@ ?[\w-]+(?:\.[\w-]+)+|(?:\+33 ?|0)[1-9](?:[ .-]?\d{2}){4}")
CALLED = re.compile(r"^(?:je m appelle|jm appel|jm appelle|je m appel|moi c est|mon prenom c est|"
                     r"mon prenom est|c est)\b")
# At the consent question: a name refused is a yes without a name (« je préfère ne pas
# donner mon prénom »); a name typed alone (« Sophie Martin ») is a yes with it.
NAME_REFUSED = re.compile(r"\b(?:pas|sans|ni) (?:(?:donner|dire|mettre|te donner|te dire) )?"
                          r"(?:mon |de |le |ton )?(?:nom|prenom)\b|\banonyme(?:ment)?\b")
NAME_ALONE = re.compile(r"^[A-ZÉÈÀÂÎÏÔ][a-zéèêëàâîïôöûüç'-]+(?: [A-ZÉÈÀÂÎÏÔ][a-zéèêëàâîïôöûüç'-]+)"
                        r"{0,2}$")
WHO_HELPS = re.compile(r"\bpeut (?:elle|il) (?:l |m |nous )?aider\b|\bpeuvent (?:ils|elles) "
                        r"(?:l |m |nous )?aider\b|"
                        r"\b(?:qui|ki|quelqu un|qq1|qqn) (?:peut|peu|pourrait|pour|pourra) "
                        r"m ?(?:aider|accompagner)\b|\bdemande a (?:qui|ki)\b|\ba (?:qui|ki) "
                        r"(?:je|d autre|demander|m adresser)\b|"
                        r"\ba qui (?:je peux|m adresser|demander)\b|\bqui contacter\b|"
                        r"\binscri\w{0,4} ou\b|\bou (?:je|on|il|elle) (?:dois|doit|peut|peux|"
                        r"va|vais) (?:m |s )?(?:inscri|aller)|\bou (?:m|s) inscri|\bjvais ou\b|"
                        r"\bje vais ou\b|\bvers qui\b|\baller voir qui\b|\bqui (?:va|peut) "
                        r"(?:l|la|le) (?:aider|accompagner)\b")
APPOINTMENT = re.compile(r"\brdv\b|\brendez vous\b|\brendez vou\b")




def plain(text: str) -> str:
    """A button's title or a typed answer without emojis and punctuation, folded."""
    return fold(re.sub(r"[^\w\s'’-]", " ", text or "")).strip()


def name(text: str) -> str:
    words = re.sub(r"^(?:je m['’ ]?appelle|j['’ ]?m['’ ]?appel+e?|moi c['’ ]?est|c['’ ]?est|"
                   r"mon pr[ée]nom c['’ ]?est|mon pr[ée]nom est|mon nom c['’ ]?est|appelle[- ]moi|"
                   r"appelez[- ]moi)\s+", "", " ".join(text.split()), flags=re.I)
    return words.strip(" .,!")[:40] or "anonyme"


KIND_WORDS = (("alternance", "search_apprenticeship"), ("apprentissage", "search_apprenticeship"),
               ("formation", "search_training"), ("stage", "search_internship"),
               ("immersion", "search_immersion"), ("taf", "search_job"),
               ("boulot", "search_job"), ("travail", "search_job"), ("job", "search_job"),
               ("jobs", "search_job"), ("cdi", "search_job"), ("interim", "search_job"),
               ("emploi", "search_job"), ("bosser", "search_job"), ("jcherche", "search_job"),
               ("cherche", "search_job"), ("jcherch", "search_job"), ("offre", "search_job"),
               ("poste", "search_job"))


# « UN TAF PAS UNE FORMATION », « jparle pas d'apprentissage »: a kind that is ruled out.
NOT_KIND = re.compile(r"\b(?:pas|plus|ni|non|sans|parle pas)\s(?:de |d |d une |une |un |l |la |le |"
                      r"en |dans |du |des |les )?(alternance|apprentissage|formations?|stages?|"
                      r"immersion|taf|boulot|jobs?|emplois?|cdi|interim)\b")


def negated_kinds(folded: str) -> tuple[set[str], str]:
    """The search intents a message rules out, and the message without those words."""
    ruled_out = {kind_from_words(m.group(1)) for m in NOT_KIND.finditer(folded)}
    return {k for k in ruled_out if k}, NOT_KIND.sub(" ", folded)


# Names of services whose words are not a kind of search (« Cap emploi », « France Travail »).
SERVICE_NAMES = re.compile(r"\b(?:cap emploi|france travail|pole emploi|inspection du travail|"
                           r"medecin du travail)\b")


def kind_from_words(folded: str) -> str | None:
    words = SERVICE_NAMES.sub(" ", folded).split()
    return next((intent for key, intent in KIND_WORDS
                 if any(w == key or (len(key) >= 5 and w.startswith(key)) for w in words)), None)


def kind_words(kind: str | None) -> str:
    return search_kind_label(f"search_{kind}") if kind else ""


def place_name(place: str) -> str:
    found = place_by_key(place)
    return found.name if found else place


def kept(search: Search) -> dict[str, str]:
    trade = f" de {search.trade}" if search.trade and search.trade != ANY and \
        search.kind in TRADE_KINDS else ""
    place = f" vers {place_name(search.place)}" if search.place and search.place != "tiltam" \
        else ""
    return {"trade": trade, "place": place}


def farther(current: int, has_car: bool | None) -> int | None:
    radii = RADII_NO_CAR_KM if has_car is False else RADII_KM
    for radius in radii:
        if radius > current:
            return radius
    return None

