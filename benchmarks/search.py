"""Search latency benchmark: synthetic directories of 10k / 100k organizations.

Prints one JSON document on stdout (progress goes to stderr) with, per size and
per available backend, the index build time and p50/p95 latency of three
queries: a rare term, a very common term, and a common term with two filters.
A naive FTS5 query (bm25 over the whole match set, filters as SQL joins) is
measured in the same run, on the same FTS5 table, so the ratio is comparable on
any machine. The naive query only returns the top 20; a backend search also
counts the total, all nine disjunctive facets and builds 20 highlighted snippets.

The write run (at the largest size) times 10,000 consecutive saves of one
organization each through the embedded index, p50 / p99 / max, per merge mode:
"process" and "thread" merge the pending log in the background, "inline" is the
behaviour before issue 11 (the save that crosses the threshold merges before it
returns). Baselines in the same run: a plain UPDATE of the document in an SQLite
table with the same settings, and the same save with merging switched off.
Every 100th save is followed by a search for a word only that save wrote.

    python benchmarks/search.py --sizes 10000,100000 [--elasticsearch-url URL]
    python benchmarks/search.py --sizes 100000 --repeats 0 --writes 10000
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matchmaker import reference
from matchmaker.reference import VISIBILITIES
from matchmaker.search.base import FILTER_FIELDS, SearchBackend, SearchQuery
from matchmaker.search.sqlite_fts import SqliteFtsBackend
from matchmaker.search.text import fold

RARE_TERM = "quasarix"
COMMON_TERM = "services"
FILTERS = {"market": ["developed"], "family": ["ito"]}
QUERIES = {
    "rare_term": SearchQuery(text=RARE_TERM),
    "very_common_term": SearchQuery(text=COMMON_TERM),
    "common_term_two_filters": SearchQuery(text=COMMON_TERM, filters=FILTERS),
    # Not required, shown for context: a 2-character Chinese word and plain browsing.
    "chinese_two_chars": SearchQuery(text="软件"),
    "browse_two_filters": SearchQuery(filters=FILTERS),
}
REPEATS = 100
WRITES = 10_000
WRITE_MODES = ("process", "thread", "inline")
CHECK_EVERY = 100  # saves between two read-your-write searches
NAIVE_REPEATS = 20  # the naive query takes up to a second at 100k

SERVICE_WORDS = {
    "ru": [
        "разработка программного обеспечения",
        "колл-центр",
        "бухгалтерский учёт",
        "анализ данных",
        "тестирование",
        "облачные сервисы",
        "дизайн",
        "логистика",
    ],
    "es": [
        "desarrollo de software",
        "centro de llamadas",
        "contabilidad",
        "análisis de datos",
        "pruebas",
        "servicios en la nube",
        "diseño",
        "logística",
    ],
    "fr": [
        "développement logiciel",
        "centre d'appels",
        "comptabilité",
        "analyse de données",
        "tests",
        "services cloud",
        "conception",
        "logistique",
    ],
    "ar": [
        "تطوير البرمجيات",
        "مركز الاتصال",
        "المحاسبة",
        "تحليل البيانات",
        "الاختبار",
        "الخدمات السحابية",
        "التصميم",
        "الخدمات اللوجستية",
    ],
}
TEMPLATES = {
    "en": [
        "We provide {service} for {industry} clients across {place}.",
        "Our {adjective} team of {number} engineers delivers {tech} and {tech2} projects.",
        "Certified delivery centre in {city} with {years} years of outsourcing experience.",
        "Trusted partner for {service} and {tech} migration services.",
    ],
    "zh_Hans": [
        "我们为{industry}行业客户提供{service}服务。",
        "公司位于{city}，拥有{number}名工程师，专注于{tech}和{tech2}。",
        "专业的{service}团队，服务{place_zh}市场。",
    ],
    "ru": [
        "Мы предоставляем услуги: {service} для клиентов из отрасли {industry}.",
        "Наша команда из {number} инженеров работает с {tech} в городе {city}.",
    ],
    "es": [
        "Ofrecemos servicios de {service} para clientes del sector {industry}.",
        "Nuestro equipo de {number} ingenieros trabaja con {tech} desde {city}.",
    ],
    "fr": [
        "Nous fournissons des services de {service} aux clients du secteur {industry}.",
        "Notre équipe de {number} ingénieurs maîtrise {tech} à {city}.",
    ],
    "ar": [
        "نقدم خدمات {service} لعملاء قطاع {industry}.",
        "يعمل فريقنا المكون من {number} مهندسا على {tech} في {city}.",
    ],
}
INDUSTRY_WORDS = {
    "zh_Hans": ["金融", "保险", "医疗", "制药", "零售", "电商", "制造", "汽车", "物流", "电信"],
    "ru": ["финансы", "страхование", "медицина", "ритейл", "логистика", "телеком"],
    "es": ["finanzas", "seguros", "salud", "comercio", "logística", "telecomunicaciones"],
    "fr": ["finance", "assurance", "santé", "commerce", "logistique", "télécoms"],
    "ar": ["المالية", "التأمين", "الرعاية الصحية", "التجزئة", "الاتصالات"],
}
TECH = [
    "cloud",
    "SAP",
    "Java",
    "Python",
    "Salesforce",
    "ERP",
    "CRM",
    "mobile apps",
    "data analytics",
    "machine learning",
    "cybersecurity",
    "DevOps",
    "Kubernetes",
    "blockchain",
    "IoT",
    "RPA",
    ".NET",
    "Oracle",
    "embedded systems",
    "GIS",
]
ADJECTIVES = ["experienced", "bilingual", "agile", "dedicated", "award-winning", "global"]
LOCALE_SHARE = {"en": 0.8, "zh_Hans": 0.4, "ru": 0.12, "es": 0.15, "fr": 0.12, "ar": 0.1}


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Corpus:
    """Deterministic synthetic organizations with Zipf-like vocabulary."""

    def __init__(self, seed: int = 7) -> None:
        self.seed = seed
        self.countries = sorted(reference.countries())
        self.services = reference.services()
        self.cities = reference.demonstration_cities()
        rng = random.Random(seed)
        # A long tail of product names: most are rare, which is what real text looks like.
        self.tail = [self._pseudo_word(rng) for _ in range(4000)]
        self.tail_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(4000)))

    @staticmethod
    def _pseudo_word(rng: random.Random) -> str:
        syllables = ["ka", "lo", "mi", "ne", "ra", "tu", "vo", "zen", "ix", "or", "qua"]
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))

    def documents(self, count: int) -> Iterator[dict]:
        rng = random.Random(self.seed * 1_000_003 + count)
        # China and a handful of big markets dominate, as on the real site.
        heavy = ["CN"] * 30 + ["US", "DE", "JP", "GB", "IN", "RU", "AE", "FR", "ES", "EG"] * 3
        for org_id in range(1, count + 1):
            yield self._document(rng, org_id, heavy)

    def _document(self, rng: random.Random, org_id: int, heavy: list[str]) -> dict:
        country = rng.choice(heavy) if rng.random() < 0.7 else rng.choice(self.countries)
        city = rng.choice(self.cities)
        services = rng.sample(self.services, rng.randint(1, 4))
        codes = sorted(s.code for s in services)
        industries = sorted(rng.sample(reference.INDUSTRIES, rng.randint(1, 3)))
        texts = {
            locale: self._text(rng, locale, services, industries, city)
            for locale, share in LOCALE_SHARE.items()
            if rng.random() < share or (locale == "en" and org_id % 5 == 0)
        }
        if org_id % 2000 == 1:
            texts["en"] = texts.get("en", "") + f" Creators of the {RARE_TERM} platform."
        kind = "provider" if rng.random() < 0.75 else "buyer"
        return {
            "id": org_id,
            "kind": kind,
            "name": f"{city.name_en if country == 'CN' else country} "
            f"{rng.choice(self.tail).title()} {rng.choice(['Soft', 'Tech', 'Services', 'Group'])}",
            "country": country,
            "city": city.name_en if country == "CN" else "",
            "markets": list(reference.market_groups(country)),
            "families": sorted({reference.family_of(code) for code in codes}),
            "services": codes,
            "target_markets": rng.sample(["developed", "belt_and_road", "JP", "US", "DE"], 2)
            if kind == "provider"
            else [],
            "languages": sorted(rng.sample(["en", "zh", "ja", "ru", "ar", "es", "fr"], 2)),
            "certifications": sorted(rng.sample(reference.CERTIFICATIONS, rng.randint(0, 2))),
            "industries": industries,
            "size": rng.choice(reference.SIZE_BANDS),
            "budget": None,
            "visibility": "public" if rng.random() < 0.9 else rng.choice(["members", "hidden"]),
            "verified": rng.random() < 0.3,
            "texts": texts,
            "search_terms": " ".join(
                [s.name_en for s in services] + [s.name_zh for s in services] + industries
            ),
            "updated_at": "2026-11-26T10:00:00+00:00",
        }

    def _text(self, rng: random.Random, locale: str, services, industries, city) -> str:
        service = services[0]
        if locale == "en":
            service_name, industry = service.name_en.lower(), industries[0]
        elif locale == "zh_Hans":
            service_name = service.name_zh.split("（")[0]
            industry = rng.choice(INDUSTRY_WORDS[locale])
        else:
            service_name = rng.choice(SERVICE_WORDS[locale])
            industry = rng.choice(INDUSTRY_WORDS[locale])
        tech = (
            rng.choices(self.tail, cum_weights=self.tail_weights)[0] if rng.random() < 0.3 else None
        )
        sentences = rng.sample(TEMPLATES[locale], min(3, len(TEMPLATES[locale])))
        return " ".join(
            sentence.format(
                service=service_name,
                industry=industry,
                place=rng.choice(["Europe", "Japan", "the Middle East", "ASEAN", "Africa"]),
                place_zh=rng.choice(["欧洲", "日本", "中东", "东盟", "非洲"]),
                years=rng.randint(2, 30),
                adjective=rng.choice(ADJECTIVES),
                number=rng.randint(5, 900),
                tech=tech or rng.choice(TECH),
                tech2=rng.choice(TECH),
                city=city.name_zh if locale == "zh_Hans" else city.name_en,
            )
            for sentence in sentences
        )


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 2),
        "max": round(ordered[-1], 2),
    }


def _timed(run: Callable[[], object], repeats: int) -> dict[str, float]:
    """Time the first call apart (cold for this query), then ``repeats`` more."""
    start = time.perf_counter()
    run()
    first = (time.perf_counter() - start) * 1000
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return {"first": round(first, 2), **_percentiles(samples)}


def _measure_backend(backend: SearchBackend, repeats: int) -> dict[str, dict]:
    latency = {}
    for name, query in QUERIES.items():
        result = backend.search(query)
        latency[name] = {
            "total_hits": result.total,
            **_timed(lambda q=query: backend.search(q), repeats),
        }
        _progress(f"    {name}: {latency[name]}")
    return latency


def _naive_sql(filters: dict[str, list[str]]) -> str:
    """The obvious query: FTS5 bm25 over every match, filters joined row by row."""
    checks = "".join(
        f" AND instr(orgs.{FILTER_FIELDS[key]}, ' {value} ')"
        for key, values in filters.items()
        for value in values  # one value per filter here
    )
    return (
        "SELECT fts.rowid, bm25(fts, 3.0, 1.0, 1.0, 1.0) AS score FROM fts"
        " JOIN naive_orgs AS orgs ON orgs.id = fts.rowid"
        f" WHERE fts MATCH ? AND orgs.visibility = 'public'{checks} ORDER BY score LIMIT 20"
    )


def _measure_naive(path: Path, docs: list[dict], repeats: int) -> dict[str, dict]:
    """Time the naive query on the same FTS5 table, filters in a narrow side table."""
    connection = sqlite3.connect(path)
    fields = sorted({FILTER_FIELDS[key] for query in QUERIES.values() for key in query.filters})
    connection.execute(
        f"CREATE TABLE naive_orgs (id INTEGER PRIMARY KEY, visibility TEXT, {', '.join(fields)})"
    )
    connection.executemany(
        f"INSERT INTO naive_orgs VALUES (?, ?{', ?' * len(fields)})",
        [
            (doc["id"], doc["visibility"], *(" " + " ".join(doc[f]) + " " for f in fields))
            for doc in docs
        ],
    )
    connection.commit()
    latency = {}
    for name in ("rare_term", "very_common_term", "common_term_two_filters"):
        query = QUERIES[name]
        sql = _naive_sql(dict(query.filters))
        phrase = f'"{fold(query.text)}"'
        latency[name] = _timed(
            lambda s=sql, p=phrase: connection.execute(s, (p,)).fetchall(), repeats
        )
        _progress(f"    {name}: {latency[name]}")
    connection.close()
    return latency


def _bench_sqlite(docs: list[dict], workdir: Path, repeats: int) -> tuple[dict, dict]:
    path = workdir / f"search-{len(docs)}.sqlite3"
    backend = SqliteFtsBackend(path)
    _progress(f"  sqlite_fts: rebuilding {len(docs)} documents")
    start = time.perf_counter()
    backend.rebuild(docs)
    build = time.perf_counter() - start
    # A fresh process (another gunicorn worker) loads the stored segment on first search.
    start = time.perf_counter()
    SqliteFtsBackend(path).search(SearchQuery(text=RARE_TERM))
    cold = (time.perf_counter() - start) * 1000
    result = {
        "backend": "sqlite_fts",
        "build_seconds": round(build, 2),
        "index_megabytes": round(path.stat().st_size / 1e6, 1),
        "fresh_process_first_search_ms": round(cold, 1),
        "latency_ms": _measure_backend(backend, repeats),
    }
    _progress("  naive FTS5 bm25 on the same file")
    naive_repeats = min(repeats, NAIVE_REPEATS)
    naive = {"backend": "naive_fts5_bm25", "latency_ms": _measure_naive(path, docs, naive_repeats)}
    return result, naive


def _write_stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(statistics.median(ordered), 2),
        "p99": round(ordered[max(0, round(0.99 * len(ordered)) - 1)], 2),
        "max": round(ordered[-1], 2),
    }


def _edited(doc: dict, step: int) -> dict:
    """The document as one save leaves it: a new name word and a new sentence."""
    texts = dict(doc["texts"])
    texts["en"] = f"{texts.get('en', '')} Revision {step}.".strip()
    return {**doc, "name": f"{doc['name']} Zq{step}x", "texts": texts}


def _plain_updates(docs: list[dict], picks: list[int], workdir: Path) -> dict:
    """Baseline: the same documents as JSON in a plain table, one UPDATE per save."""
    path = workdir / "plain-updates.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, document TEXT NOT NULL)")
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO docs VALUES (?, ?)",
        ((d["id"], json.dumps(d, ensure_ascii=False)) for d in docs),
    )
    connection.execute("COMMIT")
    samples = []
    for step, index in enumerate(picks):
        doc = _edited(docs[index], step)
        start = time.perf_counter()
        payload = json.dumps(doc, ensure_ascii=False)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE docs SET document = ? WHERE id = ?", (payload, doc["id"]))
        connection.execute("COMMIT")
        samples.append((time.perf_counter() - start) * 1000)
    connection.close()
    return {"mode": "plain_update_baseline", "save_ms": _write_stats(samples)}


def _indexed_saves(path: Path, docs: list[dict], picks: list[int], mode: str, **options) -> dict:
    """Time ``len(picks)`` saves through the index, starting from an empty pending log."""
    backend = SqliteFtsBackend(path, merge=mode, **options)
    backend.merge()  # every mode starts from the same state
    merges_before = backend.merges()
    samples: list[float] = []
    reads: list[float] = []
    most_pending = 0
    for step, index in enumerate(picks):
        doc = _edited(docs[index], step)
        start = time.perf_counter()
        backend.index([doc])
        samples.append((time.perf_counter() - start) * 1000)
        if step % CHECK_EVERY == CHECK_EVERY - 1:
            most_pending = max(most_pending, backend.pending())
            start = time.perf_counter()
            hits = backend.search(SearchQuery(text=f"zq{step}x", visibilities=VISIBILITIES))
            reads.append((time.perf_counter() - start) * 1000)
            if [hit.id for hit in hits.hits] != [doc["id"]]:
                raise AssertionError(f"save {step} of {doc['id']} not found: {hits.hits}")
    start = time.perf_counter()
    backend.wait_for_merge(900)
    return {
        "mode": mode,
        "save_ms": _write_stats(samples),
        "merges_during_run": backend.merges() - merges_before,
        "most_pending_changes": most_pending,
        "wait_for_last_merge_s": round(time.perf_counter() - start, 1),
        "search_after_save_ms": _write_stats(reads),
    }


def _bench_writes(docs: list[dict], path: Path, workdir: Path, writes: int, modes) -> dict:
    rng = random.Random(11)
    picks = [rng.randrange(len(docs)) for _ in range(writes)]
    _progress(f"  writes: {writes} saves, plain UPDATE baseline")
    runs = [_plain_updates(docs, picks, workdir)]
    _progress(f"    {runs[-1]}")
    _progress("  writes: index, merging switched off")
    runs.append(
        {**_indexed_saves(path, docs, picks, "thread", compact_after=10**12), "mode": "no_merge"}
    )
    _progress(f"    {runs[-1]}")
    for mode in modes:
        _progress(f"  writes: index, merge {mode}")
        runs.append(_indexed_saves(path, docs, picks, mode))
        _progress(f"    {runs[-1]}")
    return {
        "size": len(docs),
        "saves": writes,
        "target": {"p99_ms": 100, "max_ms": 500},
        "runs": runs,
    }


def _bench_elastic(docs: list[dict], url: str, repeats: int) -> dict:
    from matchmaker.search.elastic import ElasticBackend

    backend = ElasticBackend(url, index=f"bench-{len(docs)}-{time.time_ns()}", timeout=30)
    _progress(f"  elasticsearch: rebuilding {len(docs)} documents")
    start = time.perf_counter()
    backend.rebuild(docs)
    build = time.perf_counter() - start
    try:
        latency = _measure_backend(backend, repeats)
    finally:
        backend.client.options(ignore_status=404).indices.delete(index=f"{backend.alias}-*")
    return {"backend": "elasticsearch", "build_seconds": round(build, 2), "latency_ms": latency}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--elasticsearch-url", default="")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--writes", type=int, default=WRITES, help="0: no write run")
    parser.add_argument("--write-modes", default=",".join(WRITE_MODES))
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temp dir")
    args = parser.parse_args(argv)
    report: dict = {
        "machine": {"cpus": os.cpu_count(), "sqlite": sqlite3.sqlite_version},
        "queries": {
            name: {"text": q.text, "filters": dict(q.filters)} for name, q in QUERIES.items()
        },
        "runs": [],
    }
    with tempfile.TemporaryDirectory(prefix="matchmaker-bench-") as temp:
        workdir = args.workdir or Path(temp)
        sizes = [int(part) for part in args.sizes.split(",")]
        for size in sizes:
            _progress(f"generating {size} documents")
            docs = list(Corpus().documents(size))
            if args.repeats:
                ours, naive = _bench_sqlite(docs, workdir, args.repeats)
                run = {"size": size, "backends": [ours, naive]}
                run["naive_over_sqlite_fts_p95"] = {
                    name: round(
                        naive["latency_ms"][name]["p95"] / ours["latency_ms"][name]["p95"], 1
                    )
                    for name in naive["latency_ms"]
                }
                if args.elasticsearch_url:
                    run["backends"].append(
                        _bench_elastic(docs, args.elasticsearch_url, args.repeats)
                    )
                report["runs"].append(run)
            if args.writes and size == max(sizes):
                path = workdir / f"search-{size}.sqlite3"
                if not args.repeats:
                    _progress(f"  sqlite_fts: rebuilding {size} documents")
                    SqliteFtsBackend(path).rebuild(docs)
                modes = [m for m in args.write_modes.split(",") if m]
                report["writes"] = _bench_writes(docs, path, workdir, args.writes, modes)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
