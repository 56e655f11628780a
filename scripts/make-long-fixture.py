#!/usr/bin/env python3
"""Writes fixtures/fr-long.json, a very long article (330+ body blocks) for layout, scrolling and
performance tests.

Deterministic: no randomness, so running it again gives byte-identical output. The prose is
composed from a few dozen original sentences: paragraph k takes opener k mod 11, fact k mod 13 and
outlook k mod 17, so every paragraph is different (11 x 13 x 17 = 2431 combinations) and the
widget's "repeated run" collapse never triggers.

Usage: python3 scripts/make-long-fixture.py
"""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "fr-long.json"

CHAPTERS = 33

PLACES = [
    "Maradi", "Tessaoua", "Zinder", "Dosso", "Birni N’Konni", "Tahoua",
    "Filingué", "Tillabéri", "Ayorou", "Gaya", "Madaoua",
]

THEMES = [
    "les premières pluies", "le mil et le sorgho", "les greniers", "le marché du jeudi",
    "les jardins de contre-saison", "la route et les camions", "l’école des champs",
]

SUBHEADINGS = [
    "Au bord du champ", "Sur le marché", "Chez le chef de village", "À la coopérative",
    "Le soir, au puits", "Ce que disent les chiffres", "Entre deux averses", "Sur la route",
    "Dans la cour de l’école",
]

OPENERS = [
    "À l’aube, les premières charrettes quittent le village en direction des parcelles.",
    "Le vent a tourné dans la nuit et l’air sent déjà la terre mouillée.",
    "Sous le grand neem de la place, une dizaine d’hommes discutent du prix de l’engrais.",
    "Au bord de la piste, deux femmes trient des semences dans une bassine émaillée.",
    "La radio communautaire annonce la météo des trois prochains jours, en haoussa puis en zarma.",
    "Le marché n’ouvre qu’à dix heures, mais les premiers camions sont arrivés avant le lever du soleil.",
    "Dans la cour de l’école, le maître a tracé au sol la carte des champs du village.",
    "Un troupeau de chèvres traverse la route sans se presser, suivi d’un garçon à vélo.",
    "L’agent d’agriculture arrive à moto, un carnet à spirale glissé dans la poche de sa chemise.",
    "Les greniers de banco, coiffés de paille neuve, se dressent derrière les concessions.",
    "À la sortie du bourg, la mare a retrouvé un peu d’eau après l’orage de la veille.",
]

FACTS = [
    "Cette année, le mil a été semé avec près de deux semaines de retard, faute de pluies régulières en juin.",
    "La coopérative locale a distribué des semences de sorgho à cycle court à une centaine de familles.",
    "Le sac de cent kilos de mil s’échange autour de vingt-deux mille francs CFA, un peu moins qu’au printemps.",
    "Les cultivateurs comptent désormais les jours sans pluie sur un calendrier affiché à la mairie.",
    "Les jardins de contre-saison fournissent oignons, tomates et chou jusqu’aux marchés de la capitale régionale.",
    "Les puits maraîchers ont été surcreusés l’an dernier, mais le niveau de la nappe reste surveillé chaque semaine.",
    "Plusieurs familles ont adopté le zaï, ces petites cuvettes qui retiennent l’eau et le fumier au pied des plants.",
    "La banque de céréales du village prête du grain pendant la soudure et se fait rembourser après la récolte.",
    "Les transporteurs se plaignent de l’état de la route, qui allonge d’une demi-journée le trajet vers le marché.",
    "Un groupement de femmes transforme l’arachide en huile et en tourteau, vendus au bord de la nationale.",
    "Les techniciens estiment que les haies de gommiers ont réduit l’érosion sur les parcelles en pente.",
    "Le prix du niébé a grimpé depuis que des acheteurs venus du Nigeria parcourent la région.",
    "Les élèves de l’école des champs mesurent chaque semaine la hauteur des tiges et notent leurs observations.",
]

OUTLOOKS = [
    "Personne ne veut encore parler de récolte, mais les visages sont moins tendus qu’en juillet.",
    "Pour les anciens, tout se jouera dans les trois dernières semaines de la saison des pluies.",
    "Les responsables du groupement espèrent convaincre d’autres villages de rejoindre la démarche.",
    "Si les pluies tiennent jusqu’à la fin septembre, les greniers devraient être pleins avant la fin de l’année.",
    "Un bilan sera présenté en assemblée générale après les battages.",
    "Les jeunes partis travailler en ville sont attendus pour les récoltes, comme chaque année.",
    "L’agent d’agriculture repassera dans quinze jours pour un nouveau comptage.",
    "Les commerçants, eux, attendent de voir l’état des épis avant de fixer leurs prix.",
    "Au village, on rappelle volontiers qu’une bonne saison ne se décrète pas, elle se prépare.",
    "Les femmes du groupement comptent réinvestir leurs bénéfices dans un second moulin.",
    "Le chef de village a promis de plaider pour la réfection de la piste auprès de la commune.",
    "D’ici là, chacun surveille le ciel, le matin comme le soir.",
    "La prochaine réunion de la coopérative est prévue après la prière du vendredi.",
    "Les plus prudents ont déjà mis de côté une partie des semences pour l’an prochain.",
    "Dans les concessions, on prépare les nattes et les fléaux pour le battage.",
    "Le maître d’école compte publier les relevés des élèves dans le bulletin de la commune.",
    "Rien n’est joué, répète-t-on ici, tant que le grain n’est pas dans le grenier.",
]

LIST_ITEMS = [
    "Semis du mil entre le 20 juin et le 5 juillet",
    "Premier sarclage trois semaines après la levée",
    "Apport de fumier dans les cuvettes de zaï",
    "Récolte du niébé avant celle du mil",
    "Battage sur les aires collectives en octobre",
    "Remboursement de la banque de céréales après la récolte",
    "Repiquage des oignons dès la décrue de la mare",
    "Réunion mensuelle du groupement de femmes",
]

QUOTES = [
    ("Une pluie à la bonne date vaut mieux que trois pluies trop tard.", "Haoua Issoufou, cultivatrice"),
    ("Nous avons appris à compter l’eau comme on compte l’argent.", "Abdou Moussa, maraîcher"),
    ("Le grenier, c’est notre banque, et personne n’a envie de la voir vide.", "Mahamane Souley, chef de village"),
    ("Les enfants mesurent les tiges mieux que nous ; ils n’oublient jamais de noter.", "Zeinabou Garba, institutrice"),
    ("Si la route était bonne, nos oignons arriveraient frais à Niamey.", "Ibrahim Adamou, transporteur"),
    ("Chaque année, on dit que c’est la dernière saison difficile.", "Fati Hamidou, présidente d’un groupement"),
]

IMAGES = [
    ("niger-grenier", 800, 600, "Deux greniers en banco coiffés de paille, derrière une concession.",
     "Les greniers en banco d’une concession, refaits avant la saison des pluies."),
    ("niger-marche", 800, 600, "Des sacs de grain alignés sur un marché, sous des bâches colorées.",
     "Le marché du jeudi, où se fixe le prix du sac de mil."),
    ("niger-champ", 1200, 675, "Un champ de mil sous un soleil bas.",
     "Un champ de mil à la fin de la saison des pluies."),
]

_paragraphs = 0


def paragraph():
    global _paragraphs
    k = _paragraphs
    _paragraphs += 1
    return {
        "type": "paragraph",
        "text": " ".join([OPENERS[k % len(OPENERS)], FACTS[k % len(FACTS)], OUTLOOKS[k % len(OUTLOOKS)]]),
    }


def paragraph_with_marks(chapter):
    block = paragraph()
    place = PLACES[chapter % len(PLACES)]
    block["text"] = [
        {"text": f"À {place}, ", "marks": ["strong"]},
        {"text": block["text"]},
    ]
    return block


def special_block(chapter):
    """Every chapter has one list, quote, image or plain paragraph in its fifth position."""
    kind = chapter % 4
    if kind == 0 and chapter % 8 == 0:
        name, width, height, alt, caption = IMAGES[(chapter // 8) % len(IMAGES)]
        return {
            "type": "image",
            "url": f"/fixtures/images/{name}.svg",
            "alt": alt,
            "caption": caption,
            "credit": "Hadiza Oumarou / Le Courrier de la Téranga",
            "width": width,
            "height": height,
        }
    if kind == 1:
        items = [LIST_ITEMS[(chapter + i) % len(LIST_ITEMS)] for i in range(3)]
        return {"type": "list", "ordered": chapter % 2 == 1, "items": items}
    if kind == 2:
        text, cite = QUOTES[(chapter // 4) % len(QUOTES)]
        return {"type": "quote", "text": text, "cite": cite}
    return paragraph()


def chapter_blocks(chapter):
    place = PLACES[chapter % len(PLACES)]
    theme = THEMES[chapter % len(THEMES)]
    return [
        {"type": "heading", "level": 2, "text": f"{chapter + 1}. {place} : {theme}"},
        paragraph_with_marks(chapter),
        paragraph(),
        paragraph(),
        special_block(chapter),
        paragraph(),
        paragraph(),
        {"type": "heading", "level": 3, "text": SUBHEADINGS[chapter % len(SUBHEADINGS)]},
        paragraph(),
        paragraph(),
    ]


def build():
    body = [
        {
            "type": "paragraph",
            "text": "De juin à octobre, notre correspondante a suivi la saison agricole dans une dizaine de "
            "villages du sud et de l’ouest du pays. Voici son carnet de route, chapitre par chapitre.",
        }
    ]
    for chapter in range(CHAPTERS):
        body.extend(chapter_blocks(chapter))
        if chapter == CHAPTERS // 2:
            body.append({"type": "ad", "slot": "milieu"})
    body.append({"type": "divider"})
    body.append({
        "type": "paragraph",
        "text": [
            {"text": "Ce carnet a été réalisé avec le soutien d’un fonds de bourses de reportage. ", "marks": ["em"]},
            {"text": "Retrouvez les autres épisodes", "marks": ["em"], "href": "/dossiers/saison-agricole"},
            {"text": ".", "marks": ["em"]},
        ],
    })
    body.append({"type": "ad", "slot": "bas"})

    texts = [json.dumps(b["text"], ensure_ascii=False) for b in body if b["type"] == "paragraph"]
    assert len(texts) == len(set(texts)), "every paragraph must be different"

    return {
        "id": "fr-long",
        "url": "https://courrier-teranga.example/niger/carnet-de-route-saison-agricole",
        "lang": "fr-NE",
        "site": {"name": "Le Courrier de la Téranga", "url": "https://courrier-teranga.example/"},
        "breadcrumb": [
            {"label": "Accueil", "url": "https://courrier-teranga.example/"},
            {"label": "Niger", "url": "https://courrier-teranga.example/niger"},
            {"label": "Grand format"},
        ],
        "section": {"label": "Niger", "url": "https://courrier-teranga.example/niger"},
        "headline": "Niger : de Maradi à Tillabéri, carnet de route d’une saison agricole",
        "dek": "Pluies tardives, greniers à remplir, marchés à surveiller : cinq mois au rythme des "
        "cultivateurs, de la frontière nigériane aux rives du fleuve.",
        "authors": [{"name": "Hadiza Oumarou", "url": "https://courrier-teranga.example/auteurs/hadiza-oumarou"}],
        "published": "2026-11-15T06:00:00+01:00",
        "modified": "2026-11-16T09:30:00+01:00",
        "image": {
            "url": "/fixtures/images/niger-champ.svg",
            "alt": "Un champ de mil sous un soleil bas.",
            "caption": "Un champ de mil près de Maradi, à la fin de la saison des pluies.",
            "credit": "Hadiza Oumarou / Le Courrier de la Téranga",
            "width": 1200,
            "height": 675,
        },
        "tags": [
            {"label": "Niger", "url": "https://courrier-teranga.example/tags/niger"},
            {"label": "Agriculture", "url": "https://courrier-teranga.example/tags/agriculture"},
            {"label": "Grand format", "url": "https://courrier-teranga.example/tags/grand-format"},
        ],
        "body": body,
        "related": {"url": "/api/articles/fr-long/related"},
    }


def main():
    article = build()
    OUT.write_text(json.dumps(article, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(article['body'])} body blocks)")


if __name__ == "__main__":
    main()
