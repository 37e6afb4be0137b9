"""The final ranking: a learned linear blend of the walk, the factor model and profile fit.

Each candidate gets a few features, normalised over the request's candidate pool
so they compare across sources:

- ``walk_rank``, ``walk_log``: the walk's score as a percentile and as a z-scored log;
- ``collab_rank``, ``collab_z``: the factor model's score (:mod:`.factors`), the same two ways;
- ``peer_log``: the part of the walk that arrived over other firms' interactions;
- ``popularity``: log(1 + the candidate's positive interactions);
- ``shared_<type>``: attribute nodes of each type both sides have (services,
  markets, languages, …);
- ``taste_<type>``: how much of the candidate's attributes of that type the source's
  own partners have, as a share of all theirs: the profile of the firms the source
  chose, which says what its profile leaves out (a buyer rarely lists the
  certifications it wants; the providers it met hold them).

Two stages, each one set of weights per situation (a buyer with partners, a
provider with partners, anyone without: profile only): the first ranks the whole
pool, the second re-ranks the first's best :data:`RERANK_DEPTH` (what tells partners
apart near the top is not what tells them from the bulk of the pool). The weights
are fitted on seed 7 of ``benchmarks/recommend_eval.py`` only, by a listwise softmax
loss over each source's held-out partners; ``python benchmarks/fit_ranker.py`` prints
them.
"""

from __future__ import annotations

import numpy as np

from .graph import ATTRIBUTE_WEIGHTS

ATTRIBUTE_TYPES: tuple[str, ...] = tuple(ATTRIBUTE_WEIGHTS)
BASE_FEATURES = ("walk_rank", "walk_log", "collab_rank", "collab_z", "peer_log", "popularity")
FEATURES: tuple[str, ...] = (
    *BASE_FEATURES,
    *(f"shared_{t}" for t in ATTRIBUTE_TYPES),
    *(f"taste_{t}" for t in ATTRIBUTE_TYPES),
)
WARM_BUYER, WARM_PROVIDER, NEW = "warm_buyer", "warm_provider", "new"
SITUATIONS = (WARM_BUYER, WARM_PROVIDER, NEW)

# The second stage re-ranks this many of the first stage's best (more if asked for more).
RERANK_DEPTH = 50

# Printed by ``python benchmarks/fit_ranker.py`` (seed 7, 6,000 organizations).
WEIGHTS: dict[str, dict[str, float]] = {
    WARM_BUYER: {
        "walk_rank": 3.064,
        "walk_log": 0.009,
        "collab_rank": 1.679,
        "collab_z": 0.411,
        "peer_log": -0.161,
        "popularity": -0.268,
        "shared_service": 0.681,
        "shared_family": -0.156,
        "shared_country": 0.438,
        "shared_market": 0.661,
        "shared_language": 0.159,
        "shared_industry": -0.107,
        "shared_certification": 0.392,
        "taste_service": 0.225,
        "taste_family": -0.12,
        "taste_country": 0.049,
        "taste_market": -0.031,
        "taste_language": -0.093,
        "taste_industry": 2.366,
        "taste_certification": 0.873,
    },
    WARM_PROVIDER: {
        "walk_rank": 2.523,
        "walk_log": -0.086,
        "collab_rank": 2.166,
        "collab_z": 0.697,
        "peer_log": 0.167,
        "popularity": -2.065,
        "shared_service": 0.64,
        "shared_family": -0.046,
        "shared_country": 0.358,
        "shared_market": 0.748,
        "shared_language": 0.115,
        "shared_industry": 0.186,
        "shared_certification": 0.297,
        "taste_service": -0.587,
        "taste_family": -0.548,
        "taste_country": 0.418,
        "taste_market": -0.172,
        "taste_language": -0.162,
        "taste_industry": 0.247,
        "taste_certification": 0.281,
    },
    NEW: {
        "walk_rank": 1.234,
        "walk_log": 0.734,
        "collab_rank": -0.344,
        "collab_z": 0.278,
        "peer_log": 0.218,
        "popularity": 0.141,
        "shared_service": 0.628,
        "shared_family": -0.193,
        "shared_country": 0.193,
        "shared_market": 1.013,
        "shared_language": 0.126,
        "shared_industry": 1.274,
        "shared_certification": 0.746,
        "taste_service": 0.0,
        "taste_family": 0.0,
        "taste_country": 0.0,
        "taste_market": 0.0,
        "taste_language": 0.0,
        "taste_industry": 0.0,
        "taste_certification": 0.0,
    },
}

RERANK: dict[str, dict[str, float]] = {
    WARM_BUYER: {
        "walk_rank": 0.34,
        "walk_log": 0.053,
        "collab_rank": -0.647,
        "collab_z": 0.336,
        "peer_log": 0.14,
        "popularity": -0.125,
        "shared_service": 0.725,
        "shared_family": -0.194,
        "shared_country": 0.319,
        "shared_market": 0.678,
        "shared_language": 0.134,
        "shared_industry": 0.075,
        "shared_certification": 0.388,
        "taste_service": -0.383,
        "taste_family": -0.103,
        "taste_country": -0.127,
        "taste_market": -0.46,
        "taste_language": -0.023,
        "taste_industry": 0.378,
        "taste_certification": 0.691,
    },
    WARM_PROVIDER: {
        "walk_rank": -0.135,
        "walk_log": 0.024,
        "collab_rank": 1.016,
        "collab_z": 0.548,
        "peer_log": 0.188,
        "popularity": -1.666,
        "shared_service": 0.745,
        "shared_family": -0.06,
        "shared_country": 0.473,
        "shared_market": 0.787,
        "shared_language": 0.143,
        "shared_industry": 0.064,
        "shared_certification": 0.408,
        "taste_service": -0.852,
        "taste_family": -0.556,
        "taste_country": 0.493,
        "taste_market": -0.498,
        "taste_language": -0.26,
        "taste_industry": 0.078,
        "taste_certification": 0.29,
    },
    NEW: {
        "walk_rank": -0.361,
        "walk_log": 0.157,
        "collab_rank": -0.531,
        "collab_z": 0.159,
        "peer_log": 2.977,
        "popularity": -0.113,
        "shared_service": 0.709,
        "shared_family": -0.411,
        "shared_country": 0.021,
        "shared_market": 0.41,
        "shared_language": 0.377,
        "shared_industry": 0.719,
        "shared_certification": 0.69,
        "taste_service": 0.0,
        "taste_family": 0.0,
        "taste_country": 0.0,
        "taste_market": 0.0,
        "taste_language": 0.0,
        "taste_industry": 0.0,
        "taste_certification": 0.0,
    },
}


def situation(source_is_provider: bool, has_partners: bool) -> str:
    if not has_partners:
        return NEW
    return WARM_PROVIDER if source_is_provider else WARM_BUYER


def percentile(values: np.ndarray) -> np.ndarray:
    """Rank of each value in ``values`` divided by their number (ties in index order)."""
    out = np.empty(len(values), dtype=np.float64)
    out[np.argsort(values, kind="stable")] = np.arange(len(values)) / max(1, len(values))
    return out


def zscore(values: np.ndarray) -> np.ndarray:
    if len(values) < 2:
        return np.zeros_like(values)
    spread = values.std()
    return (values - values.mean()) / spread if spread > 0 else np.zeros_like(values)


def log_z(values: np.ndarray) -> np.ndarray:
    return zscore(np.log(np.maximum(values, 0.0) + 1e-9))


def base_features(
    walk: np.ndarray, collab: np.ndarray, peer: np.ndarray, interactions: np.ndarray
) -> dict[str, np.ndarray]:
    """The pool-normalised features that do not depend on attribute types."""
    return {
        "walk_rank": percentile(walk),
        "walk_log": log_z(walk),
        "collab_rank": percentile(collab),
        "collab_z": zscore(collab),
        "peer_log": log_z(peer),
        "popularity": np.log1p(np.maximum(interactions, 0.0)),
    }


def attribute_vectors(
    column_types: np.ndarray, own: np.ndarray, partners: np.ndarray
) -> dict[str, np.ndarray]:
    """Per feature, a vector over attribute columns whose product with a candidate's
    (0/1) attribute row is that feature.

    ``column_types`` holds each column's index in :data:`ATTRIBUTE_TYPES`; ``own`` is
    the source's 0/1 attribute row; ``partners`` the summed rows of its partners.
    """
    out = {}
    for index, name in enumerate(ATTRIBUTE_TYPES):
        of_type = column_types == index
        out[f"shared_{name}"] = np.where(of_type, own, 0.0)
        taste = np.where(of_type, partners, 0.0)
        total = taste.sum()
        out[f"taste_{name}"] = taste / total if total > 0 else taste
    return out
