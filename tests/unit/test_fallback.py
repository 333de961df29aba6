from bot.fallback import consecutive_misses, decide

RANKING = [
    {"name": "nlu_fallback", "confidence": 0.45},
    {"name": "ask_mrs", "confidence": 0.30},
    {"name": "out_of_scope", "confidence": 0.1},
    {"name": "ask_immersion_info", "confidence": 0.08},
    {"name": "search_job", "confidence": 0.05},
]


def test_misses_are_counted_from_the_latest_message_backwards():
    assert consecutive_misses(["greet", "nlu_fallback"]) == 1
    assert consecutive_misses(["nlu_fallback", "ask_mrs", "nlu_fallback"]) == 1
    assert consecutive_misses(["nlu_fallback", "other_topic"]) == 2
    assert consecutive_misses(["greet"]) == 0


def test_first_miss_offers_the_two_likeliest_meanings_with_readable_labels():
    reply = decide(["greet", "nlu_fallback"], RANKING, [])
    assert reply.response == "utter_fallback_suggest"
    assert reply.buttons == [
        {"title": "Le recrutement sans CV (MRS)", "payload": "/ask_mrs"},
        {"title": "Comment marche une immersion", "payload": "/ask_immersion_info"},
        {"title": "Autre chose", "payload": "/other_topic"},
    ]


def test_guesses_keep_the_entities_of_the_message():
    entities = [{"entity": "job", "value": "soudeur"}]
    reply = decide(["nlu_fallback"], RANKING, entities)
    assert reply.buttons[0]["payload"] == '/ask_mrs{"job": "soudeur"}'


def test_second_miss_in_a_row_offers_a_person():
    assert decide(["nlu_fallback", "nlu_fallback"], RANKING, []).response == (
        "utter_fallback_offer_human"
    )
    assert decide(["nlu_fallback", "other_topic"], RANKING, []).response == (
        "utter_fallback_offer_human"
    )


def test_nothing_worth_guessing_asks_to_rephrase():
    reply = decide(["nlu_fallback"], [{"name": "nlu_fallback"}, {"name": "greet"}], [])
    assert reply.response == "utter_fallback_rephrase"
