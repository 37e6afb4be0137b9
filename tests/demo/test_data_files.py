"""The demo content as data files: they load, keep their columns, refer to each other."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from matchmaker.demo import data
from matchmaker.demo.data import (
    CSV_COLUMNS,
    DEMO_USERS,
    JSON_FILES,
    TEXT_LOCALES,
    demo_organizations,
    load_tables,
)
from matchmaker.reference import demonstration_cities, service_categories

DATA_DIR = Path(data.__file__).parent / "data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the data folder a test may edit."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


def _append_row(path: Path, row: list[str]) -> None:
    with path.open("a", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerow(row)


def test_data_folder_holds_exactly_the_files_the_loader_reads():
    names = {path.name for path in DATA_DIR.iterdir()}
    assert names == {*CSV_COLUMNS, *JSON_FILES, "README.md"}


@pytest.mark.parametrize("name", sorted(CSV_COLUMNS))
def test_csv_file_has_the_expected_columns(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert tuple(rows[0]) == CSV_COLUMNS[name]
    assert len(rows) > 1
    assert all(len(row) == len(CSV_COLUMNS[name]) for row in rows)


@pytest.mark.parametrize("name", JSON_FILES)
def test_json_file_parses_to_an_object(name):
    assert isinstance(json.loads((DATA_DIR / name).read_text(encoding="utf-8")), dict)


def test_packaged_tables_are_the_ones_in_use():
    tables = load_tables()
    assert tables["users"] == DEMO_USERS
    assert len(tables["users"]) == 9
    assert DEMO_USERS[0]["org_key"] is None
    assert len(tables["buyers"]) == 163
    assert len(tables["foreign_providers"]) == 28
    assert len(tables["brands"]) == 78


def test_cities_are_the_demonstration_cities():
    cities = {row["city"] for row in load_tables()["cities"]}
    assert cities == {city.name_en for city in demonstration_cities()}


def test_labels_cover_every_description_locale():
    labels = load_tables()["labels"]
    for table in ("industries", "buyer_nouns", "markets", "certifications", "sizes", "budgets"):
        for code, names in labels[table].items():
            assert set(names) == set(TEXT_LOCALES), (table, code)
    # en and zh_Hans service names come from the reference CSV.
    assert set(labels["services"]) == {code for code in service_categories() if "." in code}
    for names in labels["services"].values():
        assert set(names) == set(TEXT_LOCALES) - {"en", "zh_Hans"}
    descriptions = load_tables()["descriptions"]
    for kind in ("provider", "buyer"):
        assert set(descriptions[kind]) == set(TEXT_LOCALES)


def test_references_between_files_resolve():
    tables = load_tables()
    archetypes = tables["archetypes"]["archetypes"]
    industries = tables["labels"]["industries"]
    motives = tables["motives"]["motives"]
    for name, _country, _city, archetype, languages, targets in tables["foreign_providers"]:
        assert archetype in archetypes, name
        assert languages and targets, name
    for _country, _city, name, industry, _languages in tables["buyers"]:
        assert industry in tables["buyer_needs"]["by_industry"], name
        assert industry in tables["labels"]["buyer_nouns"], name
    for spec in archetypes.values():
        assert set(spec["industries"]) <= set(industries)
        assert set(spec["services"]) <= set(service_categories())
    for service, wanted in tables["motives"]["by_service"].items():
        assert set(wanted) <= set(motives), service
    for city, boosts in tables["archetypes"]["city_boost"].items():
        assert set(boosts) <= set(archetypes), city


def test_added_buyer_appears_in_the_demo(data_copy, monkeypatch):
    _append_row(
        data_copy / "buyers.csv",
        ["PL", "Kraków", "Wawel Mutual Insurance", "insurance", "pl fr"],
    )
    tables = load_tables(data_copy)
    monkeypatch.setattr(data, "_BUYERS", tables["buyers"])

    orgs = {org["key"]: org for org in demo_organizations()}

    added = orgs["wawel-mutual-insurance"]
    assert added["kind"] == "buyer"
    assert (added["country"], added["city"]) == ("PL", "Kraków")
    assert added["languages"] == ["pl", "fr", "en"]
    assert added["industries"][0] == "insurance"
    assert set(added["texts"]) == {"en", "fr"}
    assert "Wawel Mutual Insurance is an insurer based in Kraków, Poland." in added["texts"]["en"]


def test_added_provider_appears_in_the_demo(data_copy, monkeypatch):
    _append_row(
        data_copy / "foreign_providers.csv",
        ["Vistula Code Works", "PL", "Warsaw", "software", "pl en de", "developed DE"],
    )
    monkeypatch.setattr(data, "_FOREIGN_PROVIDERS", load_tables(data_copy)["foreign_providers"])

    added = {org["key"]: org for org in demo_organizations()}["vistula-code-works"]

    assert added["kind"] == "provider"
    assert added["languages"] == ["pl", "en", "de"]
    assert added["target_markets"] == ["developed", "DE"]
    assert added["services"][0] == "ito.software_rd"


def test_byte_order_mark_from_a_spreadsheet_is_accepted(data_copy):
    path = data_copy / "brands.csv"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8-sig")

    assert load_tables(data_copy)["brands"] == load_tables()["brands"]


def test_wrong_columns_are_an_error(data_copy):
    path = data_copy / "buyers.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("industry", "sector", 1), encoding="utf-8")

    with pytest.raises(ValueError, match=r"buyers\.csv: the columns must be"):
        load_tables(data_copy)


def test_empty_required_cell_is_an_error(data_copy):
    _append_row(data_copy / "buyers.csv", ["PL", "", "Nameless City Bank", "finance", ""])

    with pytest.raises(ValueError, match=r"buyers\.csv, line 165: empty city"):
        load_tables(data_copy)


def test_missing_cell_is_an_error(data_copy):
    _append_row(data_copy / "brands.csv", ["Lonely"])

    with pytest.raises(ValueError, match=r"brands\.csv, line 80: wrong number of cells"):
        load_tables(data_copy)
