import csv
from importlib import resources

from matchmaker import reference
from matchmaker.reference import labels


def test_market_groups_china_is_separate():
    assert reference.market_groups("CN") == ("china",)


def test_market_groups_country_both_developed_and_belt_and_road():
    assert reference.market_groups("SG") == ("developed", "belt_and_road")


def test_market_groups_withdrawn_country_is_not_belt_and_road():
    assert reference.market_groups("PA") == ("other",)
    assert reference.market_groups("IT") == ("developed",)


def test_market_groups_unknown_country_is_other():
    assert reference.market_groups("XX") == ("other",)


def test_service_labels_match_the_reference_file():
    text = resources.files("matchmaker.reference").joinpath("data", "service_categories.csv")
    rows = list(csv.DictReader(text.read_text(encoding="utf-8").splitlines()))
    assert {row["code"]: row["name_en"] for row in rows} == {
        code: label._args[0] for code, label in labels.SERVICE_LABELS.items()
    }


def test_demonstration_cities_count():
    assert len(reference.demonstration_cities()) == 31
    assert reference.is_demonstration_city("dalian")
    assert reference.is_demonstration_city("大连")
    assert not reference.is_demonstration_city("Lhasa")


def test_search_keywords_cover_every_service():
    from matchmaker.reference.search_keywords import SERVICE_KEYWORDS

    assert set(SERVICE_KEYWORDS) == {s.code for s in reference.services()}
