"""Pure time helpers: wall times in a fair's zone and UTC instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones


@cache
def known_zones() -> frozenset[str]:
    """IANA zones by their place names (Asia/Shanghai), plus UTC.

    Legacy aliases (GB, PRC, GMT+0, Etc/GMT-8 …) are left out: nobody picks a fair's zone
    by them, and several read alike (GMT0, GMT+0, GMT-0).
    """
    return frozenset(
        name
        for name in available_timezones()
        if ("/" in name and not name.startswith(("Etc/", "SystemV/"))) or name == "UTC"
    )


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime (SQLite hands back naive ones, which are UTC by our convention)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local(value: datetime, tz: str) -> datetime:
    """The instant ``value`` as a wall time in zone ``tz``."""
    return as_utc(value).astimezone(zone(tz))


def wall_to_utc(day: date, wall: time, tz: str) -> datetime | None:
    """The UTC instant of a local wall time; None when it does not exist (a DST gap).

    An ambiguous wall time (the hour repeated in autumn) takes its first occurrence (fold=0).
    """
    naive = datetime.combine(day, wall)
    aware = naive.replace(tzinfo=zone(tz), fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone(tz)).replace(tzinfo=None) != naive:
        return None
    return instant


def days(starts_on: date, ends_on: date) -> list[date]:
    return [starts_on + timedelta(days=n) for n in range((ends_on - starts_on).days + 1)]
