"""How fair times read: in the fair's zone, and in the viewer's own zone beside it.

Dates, times and zone names come from Babel (CLDR) in the reader's locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date, format_time, get_timezone_gmt, get_timezone_location
from flask_babel import get_locale
from flask_login import current_user

from .times import as_utc, known_zones, zone


def _locale():
    return get_locale() or "en"


def viewer_timezone() -> str | None:
    """The signed-in reader's own zone, when the account keeps one."""
    tz = getattr(current_user, "timezone", None) if current_user.is_authenticated else None
    return tz if tz in known_zones() else None


def zone_name(tz: str) -> str:
    """A zone as people say it: its city ("Shanghai", "上海", "شنغهاي")."""
    return get_timezone_location(zone(tz), locale=_locale(), return_city=True)


def zone_offset(tz: str, at: datetime) -> str:
    """The zone's offset at an instant, e.g. GMT+08:00."""
    return get_timezone_gmt(as_utc(at).astimezone(zone(tz)), locale=_locale())


def day_label(day: date, width: str = "full") -> str:
    return format_date(day, width, locale=_locale())


@dataclass(frozen=True)
class Span:
    """One stretch of time as a reader sees it in one zone."""

    day: str
    time: str
    zone: str
    offset: str


@dataclass(frozen=True)
class When:
    """A stretch of time in the fair's zone, and in the viewer's when that differs."""

    iso: str
    fair: Span
    mine: Span | None


def _span(starts: datetime, ends: datetime | None, tz: str) -> Span:
    where = zone(tz)
    local = as_utc(starts).astimezone(where)
    text = format_time(local, "short", locale=_locale())
    if ends is not None:
        text += " – " + format_time(as_utc(ends).astimezone(where), "short", locale=_locale())
    return Span(day_label(local.date()), text, zone_name(tz), zone_offset(tz, starts))


def when(starts: datetime, ends: datetime | None, fair_tz: str) -> When:
    """Times of a slot, meeting or session for the template macro ``when`` (_macros.html)."""
    fair = _span(starts, ends, fair_tz)
    own = viewer_timezone()
    mine = None
    if own and own != fair_tz:
        other = _span(starts, ends, own)
        if other.offset != fair.offset:
            mine = other
    return When(as_utc(starts).isoformat(), fair, mine)


def date_range(starts_on: date, ends_on: date) -> str:
    """First and last day of a fair, e.g. "May 20 – 22, 2027" in the reader's locale."""
    from babel.dates import format_interval

    if starts_on == ends_on:
        return format_date(starts_on, "long", locale=_locale())
    return format_interval(starts_on, ends_on, "yMMMd", locale=_locale())
