"""Checking and normalizing the fields of a fair and of its agenda sessions."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l

from matchmaker.i18n import LOCALES

from .times import known_zones

MAX_DAYS = 31
MAX_SLOT_MINUTES = 480
MAX_TABLES = 500
MAX_NAME = 200
MAX_DESCRIPTION = 5000


def text(value: Any, field: str, errors: dict, *, required: bool = False, limit: int = 200) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = _l("Must be text.")
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = _l("This field is required.")
    elif len(value) > limit:
        errors[field] = _l("Use at most %(n)d characters.", n=limit)
    return value


def localized(value: Any, field: str, errors: dict, *, limit: int) -> dict[str, str]:
    """Texts keyed by locale; a plain string is English."""
    if value is None:
        return {}
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, dict):
        errors[field] = _l('Give texts keyed by locale, e.g. {"en": "..."}.')
        return {}
    texts: dict[str, str] = {}
    for locale, item in value.items():
        if locale not in LOCALES:
            errors[field] = _l("Unknown locale: %(locale)s.", locale=str(locale)[:20])
            return {}
        if item is not None and not isinstance(item, str):
            errors[field] = _l("Must be text.")
            return {}
        item = (item or "").strip()
        if len(item) > limit:
            errors[field] = _l("Use at most %(n)d characters.", n=limit)
            return {}
        texts[locale] = item
    return texts


def day(value: Any, field: str, errors: dict) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        errors[field] = _l("Enter a date as YYYY-MM-DD.")
        return None


def wall_time(value: Any, field: str, errors: dict) -> time | None:
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, str) and len(value) in (5, 8):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    errors[field] = _l("Enter a time as HH:MM.")
    return None


def instant(value: Any, field: str, errors: dict) -> datetime | None:
    """An ISO 8601 date and time with its offset (a naive one would be ambiguous)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime) or value.tzinfo is None:
        errors[field] = _l("Enter a date and time with its offset, e.g. 2026-10-24T09:00+02:00.")
        return None
    return value


def whole(
    value: Any, field: str, errors: dict, *, low: int, high: int, optional: bool = False
) -> int | None:
    if optional and value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors[field] = _l("Must be a whole number.")
        return None
    try:
        number = int(value)
    except ValueError:
        errors[field] = _l("Must be a whole number.")
        return None
    if not low <= number <= high:
        errors[field] = _l("Must be between %(low)d and %(high)d.", low=low, high=high)
        return None
    return number


def flag(value: Any, field: str, errors: dict) -> bool:
    if not isinstance(value, bool):
        errors[field] = _l("Must be true or false.")
        return False
    return value


def zone_name(value: Any, field: str, errors: dict) -> str | None:
    if not isinstance(value, str) or value not in known_zones():
        errors[field] = _l("Unknown time zone: use an IANA name such as Asia/Shanghai.")
        return None
    return value


def breaks(value: Any, errors: dict) -> list[tuple[time, time]]:
    """Daily breaks as [{"starts": "12:00", "ends": "13:00"}] (or pairs)."""
    if value is None:
        return []
    if not isinstance(value, list):
        errors["breaks"] = _l('Give breaks as a list, e.g. [{"starts": "12:00", "ends": "13:00"}].')
        return []
    found = []
    for item in value:
        if isinstance(item, dict):
            starts, ends = item.get("starts"), item.get("ends")
        elif isinstance(item, list | tuple) and len(item) == 2:
            starts, ends = item
        else:
            errors["breaks"] = _l('Give each break as {"starts": "12:00", "ends": "13:00"}.')
            return []
        start_time = wall_time(starts, "breaks", errors)
        end_time = wall_time(ends, "breaks", errors)
        if start_time is None or end_time is None:
            return []
        if end_time <= start_time:
            errors["breaks"] = _l("A break must end after it starts.")
            return []
        found.append((start_time, end_time))
    return sorted(found)
