"""Log lines: personal data masked whatever handler writes them, one structured line each."""

from __future__ import annotations

import logging

from bot.logs import StructuredFormatter, install_masking, mask


def test_names_after_je_m_appelle_are_masked_there_and_in_later_lines():
    assert mask("salut je m'appelle Inès Martin, 06 12 34 56 78") == \
        "salut je m'appelle [prénom], [téléphone]"
    assert mask('{"entities": [{"value": "Martin"}]}') == '{"entities": [{"value": "[prénom]"}]}'
    assert mask("\thandoff_name: Sam\n\thandoff_contact: sam@exemple.fr") == \
        "\thandoff_name: [masqué]\n\thandoff_contact: [masqué]"


def test_every_record_is_masked_and_written_on_one_structured_line():
    install_masking()
    record = logging.getLogger("indy.test").makeRecord(
        "indy.test", logging.INFO, __file__, 1, "écris à %s\nou au %s",
        ("lea.m@exemple.fr", "+33 6 12 34 56 78"), None)
    line = StructuredFormatter().format(record)
    assert line.endswith("level=INFO logger=indy.test msg=écris à [e-mail]\\nou au [téléphone]")
    assert "\n" not in line
