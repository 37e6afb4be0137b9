"""The directory's facet panel, built once for every reader of a locale and reused.

Rendering ~110 facet links used to cost most of a directory page: for each link the
query string was parsed again, the address rebuilt through ``url_for``, the label
translated and the count formatted. Here:

* the request's arguments are encoded once per page (:class:`FacetLinks`); a link only
  re-encodes the one filter it switches;
* labels and formatted counts are kept per locale (they never change while a process
  runs: translations are compiled, CLDR names fixed);
* the rendered panel is kept per (locale, address without ``page``, facet counts). The
  counts are part of the key, so when the index changes (a save, a merge, another worker's
  write) the new counts make a new entry and the old one ages out: no stale panel, no
  invalidation message between workers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from urllib.parse import urlencode

from flask import render_template, request, url_for
from flask_babel import format_decimal, get_locale
from markupsafe import Markup

from matchmaker.reference import labels

# Keys shown in the panel, in order (kind has its own switch above the results).
PANEL_KEYS = (
    "market",
    "family",
    "service",
    "country",
    "language",
    "certification",
    "industry",
    "size",
)
PANEL_ENTRIES = 512  # rendered panels kept per process (a few kB each)
LABEL_ENTRIES = 20_000  # labels and counts kept per process


class _Lru:
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


_panels = _Lru(PANEL_ENTRIES)
_words: dict[tuple[str, str, str], str] = {}  # (locale, key, value) -> label
_numbers: dict[tuple[str, int], str] = {}  # (locale, n) -> "1,234" / "١٬٢٣٤"


def _locale() -> str:
    return str(get_locale() or "en")


def facet_label(key: str, value: str) -> str:
    """``labels.facet_label`` in the current locale, translated once per process."""
    cache_key = (_locale(), key, value)
    label = _words.get(cache_key)
    if label is None:
        label = str(labels.facet_label(key, value))
        if len(_words) >= LABEL_ENTRIES:
            _words.clear()
        _words[cache_key] = label
    return label


def count_text(number: int) -> str:
    """The ``number`` filter (Babel's decimal format in the current locale), kept per locale."""
    cache_key = (_locale(), number)
    text = _numbers.get(cache_key)
    if text is None:
        text = format_decimal(number)
        if len(_numbers) >= LABEL_ENTRIES:
            _numbers.clear()
        _numbers[cache_key] = text
    return text


def _split(raw_values: list[str]) -> list[str]:
    return [value for raw in raw_values for value in raw.split(",") if value]


class FacetLinks:
    """Links that switch one filter value on or off, back to page 1.

    The same addresses as ``toggle_url`` in matchmaker/web.py (raw arguments, in their
    order, ``page`` dropped, the switched key kept in place or added last), but the
    arguments are parsed and encoded once for all the links of a page.
    """

    def __init__(self, path: str, args) -> None:
        self.path = path
        self._args = args
        # Encoded "key=value&key=value2" per key, in the order the keys first appear.
        self._encoded = {
            key: urlencode([(key, value) for value in args.getlist(key)])
            for key in args
            if key != "page"
        }
        self._values: dict[str, list[str]] = {}
        self._active: dict[str, set[str]] = {}

    def values(self, key: str) -> list[str]:
        found = self._values.get(key)
        if found is None:
            found = self._values[key] = _split(self._args.getlist(key))
        return found

    def is_active(self, key: str, value: str) -> bool:
        found = self._active.get(key)
        if found is None:
            found = self._active[key] = {
                v for raw in self._args.getlist(key) for v in raw.split(",")
            }
        return value in found

    def toggle(self, key: str, value: str) -> str:
        values = self.values(key)
        changed = [v for v in values if v != value] if value in values else [*values, value]
        mine = urlencode([(key, v) for v in changed]) if changed else ""
        parts = [mine if name == key else part for name, part in self._encoded.items()]
        if key not in self._encoded:
            parts.append(mine)
        query = "&".join(part for part in parts if part)
        return self.path + (f"?{query}" if query else "")


def _signature(facets: Mapping[str, Mapping[str, int]]) -> tuple:
    return tuple((key, tuple(counts.items())) for key, counts in facets.items())


def facet_panel(page) -> Markup:
    """The rendered ``<aside>`` of facet links for this request and these counts."""
    args = request.args
    key = (
        _locale(),
        request.script_root,
        tuple(item for item in args.items(multi=True) if item[0] != "page"),
        _signature(page.facets),
    )
    panel = _panels.get(key)
    if panel is None:
        panel = Markup(
            render_template(
                "profiles/_facets.html",
                page=page,
                panel_keys=PANEL_KEYS,
                links=FacetLinks(url_for("profiles.index"), args),
                facet_label=facet_label,
                count_text=count_text,
            )
        )
        _panels.put(key, panel)
    return panel


def clear() -> None:
    """Forget every kept panel and label (tests; a process never needs it)."""
    _panels.clear()
    _words.clear()
    _numbers.clear()
