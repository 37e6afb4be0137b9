"""Partner matching: the recommendation engine and its web/API glue.

The engine modules (``engine``, ``graph``, ``state``, ``matrix``, ``scoring``,
``explain``) are pure Python + networkx + scipy. Import ``matchmaker.matching.engine``
directly, so the Flask side does not load numpy until it needs recommendations.
"""
