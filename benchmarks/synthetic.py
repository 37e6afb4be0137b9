"""Synthetic outsourcing market with planted preferences, shared by the matching benchmarks.

Every organization belongs to a latent segment (a cluster of related services,
industries and a home region) and has a hidden 4-dimensional style. A buyer's true
affinity for a provider mixes the segment, declared service overlap, market fit,
languages, style match and the provider's quality. Buyers declare their segment only
partly (some sought services are noise) and their style not at all: it shows only
in the certifications of the providers they pick. So interactions carry information
profiles lack, as on the real platform, and a good method must use both.

Plain data out: organization documents (the structured fields of
``docs/INTERFACES.md``) and ``(source, target, kind)`` interactions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matchmaker import reference

SERVICES = tuple(category.code for category in reference.services())
FAMILY_OF_SERVICE = np.array([reference.FAMILIES.index(code.split(".")[0]) for code in SERVICES])
N_SEGMENTS = 24
STYLE_DIMS = 4
REGIONS = ("developed", "belt_and_road", "other")
# Buyer countries by region, with their languages.
COUNTRIES: dict[str, dict[str, tuple[str, ...]]] = {
    "developed": {
        "US": ("en",),
        "GB": ("en",),
        "DE": ("de",),
        "FR": ("fr",),
        "JP": ("ja",),
        "KR": ("ko",),
        "SG": ("en", "zh", "ms"),
        "AU": ("en",),
        "CA": ("en", "fr"),
        "NL": ("nl",),
        "IT": ("it",),
        "ES": ("es",),
        "CH": ("de", "fr"),
        "SE": ("sv",),
    },
    "belt_and_road": {
        "AE": ("ar",),
        "SA": ("ar",),
        "EG": ("ar",),
        "RU": ("ru",),
        "KZ": ("ru", "kk"),
        "MY": ("ms",),
        "TH": ("th",),
        "VN": ("vi",),
        "ID": ("id",),
        "PK": ("ur",),
        "TR": ("tr",),
        "PL": ("pl",),
        "HU": ("hu",),
        "KE": ("sw",),
        "CL": ("es",),
    },
    "other": {"BR": ("pt",), "MX": ("es",), "IN": ("hi",), "CO": ("es",)},
}
PROVIDER_COUNTRIES = {"CN": 0.86, "IN": 0.05, "VN": 0.03, "PH": 0.03, "MY": 0.03}
LANGUAGES = tuple(
    sorted(
        {"zh", "en", "hi", "tl"}
        | {lang for r in COUNTRIES.values() for ls in r.values() for lang in ls}
    )
)
PLACES = (*reference.MARKET_GROUPS, *(c for r in COUNTRIES.values() for c in r))
INTERACTION_MIX = {"saved": 0.55, "meeting_request": 0.2, "meeting": 0.15, "partner": 0.1}


_REGION_CODES = {region: tuple(codes) for region, codes in COUNTRIES.items()}
_PROVIDER_CODES = tuple(PROVIDER_COUNTRIES)
_PROVIDER_CUMULATIVE = np.cumsum(list(PROVIDER_COUNTRIES.values()))[:-1]


def _pick(rng: np.random.Generator, items):
    """One uniform choice; much cheaper than ``rng.choice`` on small Python sequences."""
    return items[int(rng.integers(len(items)))]


@dataclass
class Market:
    """A generated market: documents, interactions and the hidden truth behind them."""

    docs: list[dict]
    interactions: list[tuple[int, int, str]]
    segment: np.ndarray = field(repr=False)  # latent segment per organization (index id - 1)


class _World:
    """Segment definitions: what each cluster of firms offers, needs and where it trades."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.family = rng.choice(3, size=N_SEGMENTS, p=[0.45, 0.35, 0.2])
        self.services = np.empty((N_SEGMENTS, 4), dtype=np.int64)
        for g in range(N_SEGMENTS):
            own = np.flatnonzero(self.family[g] == FAMILY_OF_SERVICE)
            picks = list(rng.choice(own, size=3, replace=False))
            picks.append(rng.integers(len(SERVICES)))
            self.services[g] = picks
        self.industries = np.array(
            [rng.choice(len(reference.INDUSTRIES), 2, replace=False) for _ in range(N_SEGMENTS)]
        )
        self.region = rng.choice(3, size=N_SEGMENTS, p=[0.55, 0.35, 0.1])
        self.size = rng.dirichlet(np.full(N_SEGMENTS, 1.5))


def generate(n: int, seed: int = 7, *, per_buyer: float = 6.0) -> Market:
    """Generate ``n`` organizations (about 60 % providers) and their interactions."""
    rng = np.random.default_rng(seed)
    world = _World(rng)
    state = _Orgs(n, world, rng)
    docs = [state.doc(i) for i in range(n)]
    interactions = state.interactions(per_buyer)
    return Market(docs, interactions, state.segment)


def random_doc(org_id: int, rng: np.random.Generator, kind: str | None = None) -> dict:
    """A fresh, unrelated profile (for update benchmarks)."""
    world = _World(np.random.default_rng(int(rng.integers(1 << 30))))
    one = _Orgs(1, world, rng, kinds=None if kind is None else [kind == "provider"])
    doc = one.doc(0)
    doc["id"] = org_id
    return doc


class _Orgs:
    """Latent variables of every organization, then their documents and interactions."""

    def __init__(self, n: int, world: _World, rng: np.random.Generator, kinds=None) -> None:
        self.n, self.world, self.rng = n, world, rng
        self.provider = np.array(kinds) if kinds is not None else rng.random(n) < 0.6
        self.segment = rng.choice(N_SEGMENTS, size=n, p=world.size)
        self.segment2 = np.where(rng.random(n) < 0.3, rng.choice(N_SEGMENTS, size=n), -1)
        self.style = rng.normal(size=(n, STYLE_DIMS))
        self.log_quality = rng.normal(0.0, 0.7, size=n)
        visibility = rng.random(n)
        self.visibility = np.where(
            visibility < 0.03, "hidden", np.where(visibility < 0.15, "members", "public")
        )
        self.no_services = rng.random(n) < 0.01
        self.services = [self._services(i) for i in range(n)]
        self.svc_mask = np.array([sum(1 << s for s in svc) for svc in self.services], np.int64)
        self.fam_mask = np.array(
            [sum(1 << f for f in {int(FAMILY_OF_SERVICE[s]) for s in svc}) for svc in self.services]
        )
        self.country = [self._country(i) for i in range(n)]
        self.targets = [self._targets(i) for i in range(n)]
        self.languages = [self._languages(i) for i in range(n)]
        self.lang_mask = np.array(
            [
                sum(1 << LANGUAGES.index(code) for code in langs if code != "en")
                for langs in self.languages
            ],
            np.int64,
        )
        self.place_mask = np.array([self._places(i) for i in range(n)], np.int64)
        self.certifications = [self._certifications(i) for i in range(n)]
        self.industries = [self._industries(i) for i in range(n)]

    # -- profile fields ---------------------------------------------------------------

    def _services(self, i: int) -> list[int]:
        rng, world = self.rng, self.world
        if self.no_services[i]:
            return []
        count = rng.integers(2, 6) if self.provider[i] else rng.integers(1, 4)
        picked: list[int] = []
        for _ in range(count):
            roll = rng.random()
            if roll < (0.72 if self.provider[i] else 0.6):
                picked.append(int(_pick(rng, world.services[self.segment[i]])))
            elif roll < 0.85 and self.segment2[i] >= 0:
                picked.append(int(_pick(rng, world.services[self.segment2[i]])))
            else:
                picked.append(int(rng.integers(len(SERVICES))))
        return sorted(set(picked))

    def _country(self, i: int) -> str:
        rng = self.rng
        if self.provider[i]:
            return _PROVIDER_CODES[int(np.searchsorted(_PROVIDER_CUMULATIVE, rng.random()))]
        region = self.world.region[self.segment[i]] if rng.random() < 0.75 else rng.integers(3)
        return _pick(rng, _REGION_CODES[REGIONS[region]])

    def _targets(self, i: int) -> list[str]:
        rng = self.rng
        if not self.provider[i]:
            return []
        region = REGIONS[self.world.region[self.segment[i]]]
        targets = [region] if rng.random() < 0.7 else []
        if rng.random() < 0.3:
            targets.append(_pick(rng, reference.MARKET_GROUPS))
        if rng.random() < 0.45 or not targets:
            targets.append(_pick(rng, _REGION_CODES[region]))
        return list(dict.fromkeys(targets))

    def _places(self, i: int) -> int:
        """Bits of the market groups and countries a buyer is in / a provider targets."""
        codes = (
            self.targets[i]
            if self.provider[i]
            else [self.country[i], *reference.market_groups(self.country[i])]
        )
        return sum(1 << PLACES.index(code) for code in set(codes) if code in PLACES)

    def _languages(self, i: int) -> list[str]:
        rng = self.rng
        country = self.country[i]
        if self.provider[i]:
            own = {"CN": ("zh",), "IN": ("en", "hi"), "PH": ("en", "tl")}.get(country, ())
            langs = list(own) + (["en"] if rng.random() < 0.85 else [])
            for target in self.targets[i]:
                for region in COUNTRIES.values():
                    if target in region and rng.random() < 0.6:
                        langs.extend(region[target])
        else:
            region = next(r for r in COUNTRIES.values() if country in r)
            langs = list(region[country]) + (["en"] if rng.random() < 0.6 else [])
        return list(dict.fromkeys(langs))

    def _certifications(self, i: int) -> list[str]:
        rng, certs = self.rng, reference.CERTIFICATIONS
        if self.provider[i]:
            noisy = self.style[i][np.arange(len(certs)) % STYLE_DIMS] + rng.normal(
                0, 0.6, len(certs)
            )
            return [certs[j] for j in np.flatnonzero(noisy > 1.1)]
        if rng.random() < 0.15:
            return [certs[int(np.argmax(self.style[i]))]]
        return []

    def _industries(self, i: int) -> list[str]:
        rng, names = self.rng, reference.INDUSTRIES
        own = self.world.industries[self.segment[i]]
        if self.provider[i]:
            picks = list(own[: rng.integers(1, 3)])
            if rng.random() < 0.3:
                picks.append(rng.integers(len(names)))
        else:
            picks = [own[rng.integers(2)] if rng.random() < 0.7 else rng.integers(len(names))]
        return list(dict.fromkeys(names[int(p)] for p in picks))

    def doc(self, i: int) -> dict:
        kind = "provider" if self.provider[i] else "buyer"
        services = [SERVICES[s] for s in self.services[i]]
        return {
            "id": i + 1,
            "kind": kind,
            "name": f"{kind.title()} {i + 1}",
            "country": self.country[i],
            "markets": list(reference.market_groups(self.country[i])),
            "families": list(dict.fromkeys(reference.family_of(s) for s in services)),
            "services": services,
            "target_markets": self.targets[i],
            "languages": self.languages[i],
            "certifications": self.certifications[i],
            "industries": self.industries[i],
            "visibility": str(self.visibility[i]),
        }

    # -- interactions -----------------------------------------------------------------

    def affinity(self, buyers: np.ndarray, providers: np.ndarray) -> np.ndarray:
        """The planted truth: how much each buyer likes the provider beside it (arrays)."""
        seg_b, seg2_b = self.segment[buyers], self.segment2[buyers]
        same = self.segment[providers] == seg_b
        secondary = (self.segment2[providers] == seg_b) | (
            (seg2_b >= 0) & (self.segment[providers] == seg2_b)
        )
        overlap = np.bitwise_count(self.svc_mask[providers] & self.svc_mask[buyers])
        fit = (self.place_mask[providers] & self.place_mask[buyers]) != 0
        langs = (self.lang_mask[providers] & self.lang_mask[buyers]) != 0
        style = np.einsum("ij,ij->i", self.style[providers], self.style[buyers]) / 2.0
        return (
            1.2 * same
            + 0.6 * secondary
            + 0.5 * overlap
            + 0.6 * fit
            + 0.3 * langs
            + 0.6 * style
            + 0.6 * self.log_quality[providers]
        )

    def interactions(self, per_buyer: float) -> list[tuple[int, int, str]]:
        """Buyers pick providers they come across, by planted affinity; a few dismiss one."""
        rng = self.rng
        visible = (self.visibility != "hidden") & ~self.no_services
        providers = np.flatnonzero(self.provider & visible)
        buyers = np.flatnonzero(~self.provider & ~self.no_services)
        kinds, mix = list(INTERACTION_MIX), np.cumsum(list(INTERACTION_MIX.values()))[:-1]
        out: list[tuple[int, int, str]] = []
        for start in range(0, len(buyers), 4096):
            chunk = buyers[start : start + 4096]
            pool = self._pools(chunk, providers, own=150, extra=80)
            valid = self._valid(chunk, pool)
            score = self.affinity(np.repeat(chunk, pool.shape[1]), pool.ravel()).reshape(pool.shape)
            # Sampling without replacement, proportional to exp(score / 0.4): Gumbel top-k.
            keys = np.where(valid, score / 0.4 + rng.gumbel(size=pool.shape), -np.inf)
            ranked = np.argsort(-keys, axis=1)
            counts = np.minimum(1 + rng.poisson(per_buyer, len(chunk)), valid.sum(axis=1))
            rows, ranks = np.nonzero(np.arange(pool.shape[1]) < counts[:, None])
            cols = ranked[rows, ranks]
            drawn = np.searchsorted(mix, rng.random(len(rows)))
            out.extend(
                zip(
                    (chunk[rows] + 1).tolist(),
                    (pool[rows, cols] + 1).tolist(),
                    [kinds[k] for k in drawn],
                    strict=True,
                )
            )
            # Half the buyers dismiss the worst of the first ten providers they were shown.
            shown = valid.copy()
            shown[rows, cols] = False
            shown[:, 10:] = False
            worst = np.argmin(np.where(shown, score, np.inf), axis=1)
            dismiss = shown.any(axis=1) & (rng.random(len(chunk)) < 0.5)
            for row in np.flatnonzero(dismiss):
                out.append((int(chunk[row]) + 1, int(pool[row, worst[row]]) + 1, "dismissed"))
        out.extend(self._provider_side(buyers))
        return out

    def _pools(self, orgs: np.ndarray, others: np.ndarray, own: int, extra: int) -> np.ndarray:
        """Per org, ``own`` random picks of ``others`` in its segment and ``extra`` anywhere."""
        rng = self.rng
        pool = others[rng.integers(len(others), size=(len(orgs), own + extra))]
        for g in range(N_SEGMENTS):
            rows = np.flatnonzero(self.segment[orgs] == g)
            same = others[self.segment[others] == g]
            if len(rows) and len(same):
                pool[rows, :own] = same[rng.integers(len(same), size=(len(rows), own))]
        return pool

    def _valid(self, orgs: np.ndarray, pool: np.ndarray) -> np.ndarray:
        """Pool entries sharing a service family, each counted once per row."""
        valid = (self.fam_mask[pool] & self.fam_mask[orgs][:, None]) != 0
        order = np.argsort(pool, axis=1, kind="stable")
        ordered = np.take_along_axis(pool, order, axis=1)
        repeated = np.zeros_like(valid)
        repeated[:, 1:] = ordered[:, 1:] == ordered[:, :-1]
        np.put_along_axis(valid, order, np.take_along_axis(valid, order, axis=1) & ~repeated, 1)
        return valid

    def _provider_side(self, buyers: np.ndarray) -> list[tuple[int, int, str]]:
        """About a third of providers save or approach the best of 30 buyers of their segment."""
        rng = self.rng
        active = np.flatnonzero(self.provider & ~self.no_services)
        active = active[rng.random(len(active)) < 0.35]
        pool = self._pools(active, buyers, own=30, extra=0)
        valid = self._valid(active, pool)
        score = self.affinity(pool.ravel(), np.repeat(active, pool.shape[1])).reshape(pool.shape)
        best = np.argmax(np.where(valid, score, -np.inf), axis=1)
        out = []
        for row in np.flatnonzero(valid.any(axis=1)):
            kind = "saved" if rng.random() < 0.7 else "meeting_request"
            out.append((int(active[row]) + 1, int(pool[row, best[row]]) + 1, kind))
        return out
