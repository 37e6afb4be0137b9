"""The search contract (docs/INTERFACES.md), run unchanged against every backend.

Same documents, same queries, same expected hits and facet counts: whatever
the engine, the directory must behave the same.
"""

from __future__ import annotations

import pytest

from matchmaker.search.base import (
    FILTER_KEYS,
    SearchQuery,
    SearchQueryError,
    SearchUnavailable,
    filter_values,
)
from tests.search.conftest import doc

ALL = ("public", "members", "hidden")

CORPUS = [
    doc(
        id=1,
        name="Dalian Harbour Soft",
        city="Dalian",
        languages=["en", "ja", "zh"],
        services=["ito.software_rd"],
        certifications=["cmmi_5"],
        industries=["finance"],
        size="250-999",
        texts={
            "en": "We build banking software for Japanese clients.",
            "zh_Hans": "我们为日本客户开发银行软件。",
        },
        search_terms="Software R&D 软件研发 China 中国",
    ),
    doc(
        id=2,
        name="Chengdu Cloud Works",
        city="Chengdu",
        services=["ito.cloud_computing"],
        certifications=["iso_27001"],
        industries=["retail"],
        texts={
            "en": "Cloud migration and hosting for retailers.",
            "zh_Hans": "云计算迁移和托管服务。",
        },
        search_terms="Cloud computing services 云计算服务 China 中国",
    ),
    doc(
        id=3,
        name="Lyon Conseil",
        country="FR",
        city="Lyon",
        languages=["fr", "en"],
        services=["kpo.management_consulting"],
        certifications=["iso_9001"],
        industries=["healthcare"],
        size="10-49",
        texts={
            "fr": "Développement de stratégies pour les hôpitaux.",
            "en": "Strategy consulting for hospitals.",
        },
        search_terms="Management consulting France",
    ),
    doc(
        id=4,
        name="Moscow Data Centre",
        country="RU",
        city="Moscow",
        languages=["ru", "en"],
        services=["bpo.data_processing", "ito.software_rd"],
        industries=["finance", "retail"],
        texts={
            "ru": "Разработка программного обеспечения и обработка данных.",
            "en": "Data processing and software engineering.",
        },
        search_terms="Business data processing 软件研发 Russia",
    ),
    doc(
        id=5,
        name="Dubai Contact Hub",
        country="AE",
        city="Dubai",
        languages=["ar", "en"],
        services=["bpo.call_center"],
        industries=["finance"],
        size="1000-4999",
        texts={"ar": "نقدم خدمات مركز الاتصال للبنوك.", "en": "Call centre services for banks."},
        search_terms="Call centre 呼叫中心 United Arab Emirates",
    ),
    doc(
        id=6,
        kind="buyer",
        name="Madrid Buyer Group",
        country="ES",
        city="Madrid",
        languages=["es"],
        services=["ito.cloud_computing"],
        industries=["logistics"],
        size=None,
        budget="250k_1m",
        texts={"es": "Buscamos un proveedor de nube para nuestra logística."},
        search_terms="Cloud computing services 云计算服务 Spain",
    ),
    doc(
        id=7,
        name="Hidden Soft Labs",
        city="Shanghai",
        visibility="hidden",
        texts={"en": "Secret software projects.", "zh_Hans": "秘密软件项目。"},
        search_terms="Software R&D 软件研发",
    ),
    doc(
        id=8,
        name="Members Only Analytics",
        country="DE",
        city="Berlin",
        visibility="members",
        services=["kpo.decision_analysis"],
        industries=["finance"],
        texts={"en": "Decision analysis for banks."},
        search_terms="Decision analysis Germany",
    ),
    doc(
        id=9,
        kind="buyer",
        name="Tokyo Trading House",
        country="JP",
        city="Tokyo",
        languages=["ja", "en"],
        services=["bpo.call_center"],
        size=None,
        texts={"en": "We need a call centre in Asia.", "zh_Hans": "我们需要亚洲的呼叫中心。"},
        search_terms="Call centre 呼叫中心 Japan",
    ),
    doc(
        id=10,
        name="Nanjing AI Institute",
        city="Nanjing",
        services=["ito.ai_services"],
        industries=["education"],
        texts={"zh_Hans": "人工智能研究与开发。", "en": "Artificial intelligence research."},
        search_terms="Artificial intelligence services 人工智能服务",
    ),
]
PUBLIC_BY_NAME = [2, 1, 5, 3, 6, 4, 10, 9]


@pytest.fixture(scope="module")
def corpus(corpus_backends):
    backend = corpus_backends.open()
    assert backend.rebuild(CORPUS) == len(CORPUS)
    return backend


def ids(result) -> list[int]:
    return [hit.id for hit in result.hits]


def expected_facets(query: SearchQuery, matching: set[int]) -> dict[str, dict[str, int]]:
    """The contract's disjunctive facets, computed the slow, obvious way."""
    facets = {}
    for key in FILTER_KEYS:
        counts: dict[str, int] = {}
        for document in CORPUS:
            others = {k: v for k, v in query.filters.items() if k != key}
            if document["id"] not in matching or document["visibility"] not in query.visibilities:
                continue
            if all(set(filter_values(document, k)) & set(v) for k, v in others.items()):
                for value in filter_values(document, key):
                    counts[value] = counts.get(value, 0) + 1
        facets[key] = counts
    return facets


# -- text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("software", {1, 4}),
        ("cloud hosting", {2}),
        ("call centre", {5, 9}),
        ("hospitals", {3}),
        ("软件研发", {1, 4}),  # Chinese, 4 characters
        ("云计算", {2, 6}),  # 3 characters
        ("软件", {1, 4}),  # 2 characters
        ("中心", {5, 9}),
        ("云", {2, 6}),  # 1 character
        ("银", {1}),
        ("الاتصال", {5}),  # Arabic
        ("الاتِّصال", {5}),  # with harakat
        ("обработка", {4}),  # Russian
        ("ОБРАБОТКА", {4}),
        ("logística", {6}),  # Spanish
    ],
)
def test_search_text_finds_words_in_every_script(corpus, text, expected):
    result = corpus.search(SearchQuery(text=text))

    assert set(ids(result)) == expected
    assert result.total == len(expected)


@pytest.mark.parametrize(
    "text", ["developpement", "DÉVELOPPEMENT", "Developpement", "développement", "hopitaux"]
)
def test_search_text_ignores_case_and_accents(corpus, text):
    assert ids(corpus.search(SearchQuery(text=text))) == [3]


def test_search_text_ranks_name_matches_first(corpus):
    result = corpus.search(SearchQuery(text="cloud"))

    assert ids(result) == [2, 6]
    assert result.hits[0].score > result.hits[1].score > 0


def test_search_text_absent_word_finds_nothing(corpus):
    result = corpus.search(SearchQuery(text="zebra"))

    assert (result.total, result.hits) == (0, [])
    assert all(counts == {} for counts in result.facets.values())


def test_search_highlight_marks_matches_in_safe_html(corpus):
    result = corpus.search(SearchQuery(text="software", locale="en"))

    highlights = {hit.id: hit.highlight for hit in result.hits}
    assert "<mark>software</mark>" in highlights[1]
    assert "<mark>software</mark>" in highlights[4]


def test_search_highlight_prefers_reader_locale(corpus):
    result = corpus.search(SearchQuery(text="云", locale="zh_Hans"))

    assert "<mark>云</mark>" in {hit.id: hit.highlight for hit in result.hits}[2]


def test_search_without_text_has_no_highlight_and_sorts_by_name(corpus):
    result = corpus.search(SearchQuery())

    assert ids(result) == PUBLIC_BY_NAME
    assert all(hit.highlight == "" for hit in result.hits)


# -- filters, facets, visibility ---------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": ["CN"]}, [2, 1, 10]),
        ({"country": ["CN", "FR"]}, [2, 1, 3, 10]),
        ({"country": ["CN"], "service": ["ito.cloud_computing"]}, [2]),
        ({"market": ["developed"]}, [3, 6, 9]),
        ({"family": ["bpo"], "language": ["ar"]}, [5]),
        ({"kind": ["buyer"]}, [6, 9]),
        ({"size": ["250-999"]}, [1]),
        ({"certification": ["iso_27001", "cmmi_5"]}, [2, 1]),
        ({"industry": ["finance"]}, [1, 5, 4]),
        ({"country": ["ZZ"]}, []),
    ],
)
def test_search_filters_or_within_and_across_keys(corpus, filters, expected):
    query = SearchQuery(filters=filters)

    result = corpus.search(query)

    assert ids(result) == expected
    assert result.facets == expected_facets(query, {d["id"] for d in CORPUS})


def test_search_facets_are_disjunctive(corpus):
    query = SearchQuery(filters={"country": ["CN"], "kind": ["provider"]})

    result = corpus.search(query)

    assert result.facets["country"] == {"CN": 3, "AE": 1, "FR": 1, "RU": 1}
    assert result.facets["kind"] == {"provider": 3}
    assert result.facets["family"] == {"ito": 3}
    assert result.facets == expected_facets(query, {d["id"] for d in CORPUS})


def test_search_facets_follow_the_text(corpus):
    query = SearchQuery(text="call centre", filters={"kind": ["buyer"]})

    result = corpus.search(query)

    assert ids(result) == [9]
    assert result.facets["kind"] == {"buyer": 1, "provider": 1}
    assert result.facets == expected_facets(query, {5, 9})


@pytest.mark.parametrize(
    ("visibilities", "total"), [(("public",), 8), (("public", "members"), 9), (ALL, 10)]
)
def test_search_shows_only_allowed_visibilities(corpus, visibilities, total):
    assert corpus.search(SearchQuery(visibilities=visibilities)).total == total


def test_search_hidden_documents_stay_hidden_from_text(corpus):
    assert set(ids(corpus.search(SearchQuery(text="software")))) == {1, 4}
    assert set(ids(corpus.search(SearchQuery(text="software", visibilities=ALL)))) == {1, 4, 7}
    assert ids(corpus.search(SearchQuery(text="banks", visibilities=("members",)))) == [8]


# -- pagination ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"), [(1, [2, 1, 5]), (2, [3, 6, 4]), (3, [10, 9]), (4, [])]
)
def test_search_pages_through_results(corpus, page, expected):
    result = corpus.search(SearchQuery(page=page, per_page=3))

    assert (result.total, ids(result)) == (8, expected)


def test_search_pages_relevance_results_without_overlap(corpus):
    first = corpus.search(SearchQuery(text="中国", per_page=1))
    second = corpus.search(SearchQuery(text="中国", per_page=1, page=2))

    assert first.total == second.total == 2
    assert sorted(ids(first) + ids(second)) == [1, 2]


# -- writes ---------------------------------------------------------------------------


def test_index_then_update_is_seen_by_the_next_search(backend):
    backend.index(CORPUS[:3])
    backend.index(
        [
            doc(
                **{
                    **CORPUS[1],
                    "texts": {"en": "Quantum annealing."},
                    "country": "VN",
                    "markets": ["belt_and_road"],
                }
            )
        ]
    )

    assert ids(backend.search(SearchQuery(text="quantum"))) == [2]
    assert ids(backend.search(SearchQuery(text="migration"))) == []
    assert ids(backend.search(SearchQuery(filters={"country": ["VN"]}))) == [2]
    assert backend.search(SearchQuery()).facets["country"] == {"CN": 1, "FR": 1, "VN": 1}


def test_delete_then_search_misses_the_document(backend):
    backend.rebuild(CORPUS)

    backend.delete(1)
    backend.delete(999)  # unknown ids are no error

    result = backend.search(SearchQuery(text="software"))
    assert ids(result) == [4]
    assert backend.search(SearchQuery()).total == 7
    assert backend.search(SearchQuery(filters={"size": ["250-999"]})).facets["size"] == {
        "1000-4999": 1,
        "10-49": 1,
        "50-249": 3,
    }


def test_many_writes_stay_consistent(backend):
    backend.rebuild(CORPUS)
    for round_ in range(3):
        backend.index([doc(**{**d, "name": f"{d['name']} v{round_}"}) for d in CORPUS[:4]])
        backend.delete(10 - round_)

    assert set(ids(backend.search(SearchQuery(text="v2")))) == {1, 2, 3, 4}
    assert ids(backend.search(SearchQuery(text="v1"))) == []
    assert backend.search(SearchQuery(visibilities=ALL)).total == 7
    assert ids(backend.search(SearchQuery(text="software"))) == [1, 4]


def test_writes_through_one_handle_are_seen_by_another(backends):
    writer, reader = backends.open(), backends.open()
    writer.rebuild(CORPUS)
    assert reader.search(SearchQuery(text="quantum")).total == 0

    writer.index([doc(id=11, name="Quantum Partners", texts={"en": "Quantum computing."})])
    writer.delete(2)

    assert ids(reader.search(SearchQuery(text="quantum"))) == [11]
    assert ids(reader.search(SearchQuery(text="cloud"))) == [6]


def test_rebuild_replaces_everything(backend):
    backend.rebuild(CORPUS)

    assert backend.rebuild([doc(id=42, name="Only One")]) == 1
    assert ids(backend.search(SearchQuery())) == [42]


def test_search_empty_index_returns_nothing(backend):
    result = backend.search(SearchQuery(text="software", filters={"country": ["CN"]}))

    assert (result.total, result.hits) == (0, [])
    assert set(result.facets) == set(FILTER_KEYS)


def test_highlight_escapes_document_html(backend):
    backend.index(
        [
            doc(
                id=1,
                name="<b>Bold</b> & Co",
                texts={"en": "We <script>alert(1)</script> love cloud work."},
            )
        ]
    )

    highlight = backend.search(SearchQuery(text="cloud")).hits[0].highlight

    assert "<script>" not in highlight
    assert "&lt;script&gt;" in highlight
    assert "<mark>cloud</mark>" in highlight


def test_highlight_comes_from_reader_locale(backend):
    backend.index([doc(id=1, texts={"en": "Cloud experts.", "fr": "Experts du cloud."})])

    assert backend.search(SearchQuery(text="cloud", locale="fr")).hits[0].highlight == (
        "Experts du <mark>cloud</mark>."
    )
    assert backend.search(SearchQuery(text="cloud", locale="en")).hits[0].highlight == (
        "<mark>Cloud</mark> experts."
    )


# -- hostile input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "NEAR(",
        '"unbalanced',
        "*:*",
        "AND OR NOT",
        "title:(x",
        "a*",
        "^2~",
        "-1",
        "١٢٣",
        "💥",
        "'; DROP TABLE docs; --",
        "<script>alert(1)</script>",
        "x" * 10_000,
        "cloud " * 2_000,
        "{name}: x",
        "\\",
        "NEAR(software cloud, 2)",
        "\u202eevil",
    ],
)
def test_search_syntax_garbage_is_plain_text(corpus, text):
    result = corpus.search(SearchQuery(text=text))

    assert result.total >= 0
    assert len(result.hits) <= 20
    assert set(result.facets) == set(FILTER_KEYS)


@pytest.mark.parametrize(
    "text",
    ['"software"', "software*", "(software)", "software:", "\x00software\x07", "  software "],
)
def test_search_syntax_characters_do_not_change_the_match(corpus, text):
    assert set(ids(corpus.search(SearchQuery(text=text)))) == {1, 4}


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(page=0),
        SearchQuery(page=-1),
        SearchQuery(per_page=0),
        SearchQuery(per_page=1000),
        SearchQuery(page="two"),  # type: ignore[arg-type]
        SearchQuery(page=10**9),
        SearchQuery(page=600, per_page=20),
        SearchQuery(sort="random"),
        SearchQuery(filters={"colour": ["red"]}),
        SearchQuery(filters={"kind": [1]}),  # type: ignore[dict-item]
        SearchQuery(filters={"kind": {"a": 1}}),  # type: ignore[dict-item]
        SearchQuery(visibilities=("secret",)),
        SearchQuery(text=5),  # type: ignore[arg-type]
    ],
)
def test_search_bad_parameters_raise_query_error(corpus, query):
    with pytest.raises(SearchQueryError) as error:
        corpus.search(query)

    assert error.value.message
    assert error.value.field


# -- configuration and failures -------------------------------------------------------


def test_make_backend_follows_configuration(tmp_path):
    from matchmaker.search import make_backend
    from matchmaker.search.elastic import ElasticBackend
    from matchmaker.search.sqlite_fts import SqliteFtsBackend

    embedded = make_backend({"SEARCH_INDEX_PATH": str(tmp_path / "index.sqlite3")})
    scaled = make_backend({"ELASTICSEARCH_URL": "http://127.0.0.1:9", "ELASTICSEARCH_INDEX": "x"})

    assert isinstance(embedded, SqliteFtsBackend)
    assert isinstance(scaled, ElasticBackend)
    assert scaled.alias == "x"


@pytest.mark.parametrize("kind", ["sqlite", "elasticsearch"])
def test_unreachable_backend_raises_search_unavailable(kind, tmp_path):
    from matchmaker.search.elastic import ElasticBackend
    from matchmaker.search.sqlite_fts import SqliteFtsBackend

    if kind == "sqlite":
        backend = SqliteFtsBackend(tmp_path)  # a directory: SQLite cannot open it
    else:
        backend = ElasticBackend("http://127.0.0.1:9", index="nowhere", timeout=0.5)

    assert backend.ping() is False
    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery(text="software"))
    with pytest.raises(SearchUnavailable):
        backend.index([doc()])
