from bot.entities import normalise_entities


def _diet(text, entity, span):
    start = text.index(span)
    return {"entity": entity, "start": start, "end": start + len(span), "value": span,
            "extractor": "DIETClassifier"}


def test_diet_entities_get_canonical_values():
    text = "jcherche un taf de soudeuse vers thier"
    result = normalise_entities(
        text, [_diet(text, "job", "soudeuse"), _diet(text, "location", "thier")]
    )
    job, location = result
    assert job["value"] == "soudeur" and job["rome"] == "H2913"
    assert location["value"] == "63430" and location["name"] == "Thiers"
    assert location["kind"] == "commune"


def test_names_diet_missed_are_added_from_the_gazetteer():
    text = "y a du boulot de cariste a ambert"
    result = normalise_entities(text, [])
    assert [(e["entity"], e["value"], e["extractor"]) for e in result] == [
        ("job", "cariste", "EntityNormalizer"),
        ("location", "63003", "EntityNormalizer"),
    ]
    assert text[result[1]["start"]:result[1]["end"]] == "ambert"


def test_generic_work_words_tagged_as_job_are_dropped():
    text = "je cherche du boulot"
    assert normalise_entities(text, [_diet(text, "job", "boulot")]) == []


def test_unknown_place_is_kept_and_flagged():
    text = "un stage a Lyon"
    result = normalise_entities(text, [_diet(text, "location", "Lyon")])
    assert result == [{**_diet(text, "location", "Lyon"), "value": "Lyon", "unknown": True}]


def test_search_words_tagged_as_place_are_dropped():
    for text, span in (("vas y elargis", "elargis"), ("regarde plus loin", "plus loin")):
        assert normalise_entities(text, [_diet(text, "location", span)]) == [], text
