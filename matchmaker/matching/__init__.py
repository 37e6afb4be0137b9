"""Partner matching: the recommendation engine (``engine``) and its web/API glue.

The engine modules (``engine``, ``graph``, ``matrix``, ``scoring``, ``explain``) are
pure Python + networkx + scipy; import ``matchmaker.matching.engine`` directly so
the Flask side does not pay for numpy until it needs recommendations.
"""
