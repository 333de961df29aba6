"""Canned replies: read from content/canned_replies.yml, every team's then the ticket's team's."""

from __future__ import annotations

from bot.handoff.canned import canned_replies
from bot.handoff.teams import teams
from bot.handoff.tickets import MAX_TEXT_CHARS


def test_every_team_gets_the_common_replies_then_its_own():
    common = canned_replies("no-such-team")
    assert common and all(r.title and r.text for r in common)
    thiers = canned_replies("ml-thiers")
    assert thiers[:len(common)] == common and len(thiers) > len(common)
    assert any("Thiers" in r.text for r in thiers[len(common):])


def test_the_file_names_only_teams_that_exist_and_fits_a_message():
    from bot.content import load_yaml
    from bot.settings import get_settings

    raw = load_yaml(get_settings().content_dir / "canned_replies.yml")
    assert set(raw["equipes"]) <= set(teams()), "a team id not in territory.yml"
    for team in teams():
        assert all(len(r.text) < MAX_TEXT_CHARS for r in canned_replies(team))
