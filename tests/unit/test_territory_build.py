"""The committed places and lookup tables match what the build command makes from the package."""

import json
from pathlib import Path

import pytest

from bot.settings import ROOT
from bot.territory import build_places, get_territory, job_lookup_yaml, location_lookup_yaml

MODULES = ROOT / "node_modules"
FOLDER = ROOT / "territory" / "tiltam"


def test_places_json_is_what_the_registry_package_gives():
    committed = json.loads((FOLDER / "places.json").read_text(encoding="utf-8"))
    built = build_places(FOLDER, MODULES)
    assert built["communes"] == committed["communes"]
    assert built["source"] == committed["source"]


def test_lookup_tables_are_up_to_date():
    lookups = ROOT / "data" / "nlu" / "lookups"
    assert (lookups / "location.yml").read_text(encoding="utf-8") == location_lookup_yaml(
        get_territory()
    ), "run: make places"
    assert (lookups / "job.yml").read_text(encoding="utf-8") == job_lookup_yaml()


def test_an_unknown_epci_is_refused_with_its_code(tmp_path: Path):
    (tmp_path / "territory.yml").write_text(
        'id: x\nname: X\nepci:\n  - {code: "999999999", name: Nowhere}\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match="999999999"):
        build_places(tmp_path, MODULES)
