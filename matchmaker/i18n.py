"""Supported locales, locale selection and text direction."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import Translations
from flask import current_app, has_request_context, request, session
from flask_login import current_user

LOCALES = ("en", "zh_Hans", "ar", "ru", "es", "fr")
RTL_LOCALES = frozenset({"ar"})
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
if not TRANSLATIONS_DIR.is_dir():  # installed from a wheel: carried inside the package
    TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


def normalize_locale(tag: str | None) -> str | None:
    """Map a browser or user tag (``zh-CN``, ``ar_SA``, ``fr``) to a shipped locale, or None."""
    if not tag:
        return None
    tag = tag.strip().replace("-", "_")
    if tag in LOCALES:
        return tag
    try:
        parsed = Locale.parse(tag)
    except (ValueError, UnknownLocaleError, TypeError):
        return None
    if parsed.language == "zh":
        # Only Simplified Chinese ships; Traditional readers do better with it than English.
        return "zh_Hans"
    return parsed.language if parsed.language in LOCALES else None


def select_locale() -> str:
    """?lang= (remembered in the session), then the user's setting, then Accept-Language."""
    if not has_request_context():  # command line, background work
        return current_app.config.get("DEFAULT_LOCALE", "en")
    requested = normalize_locale(request.args.get("lang"))
    if requested:
        session["locale"] = requested
        return requested
    if session.get("locale") in LOCALES:
        return session["locale"]
    if current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    for tag, _quality in request.accept_languages:
        match = normalize_locale(tag)
        if match:
            return match
    return current_app.config.get("DEFAULT_LOCALE", "en")


def text_direction(locale: str) -> str:
    return "rtl" if locale in RTL_LOCALES else "ltr"


def html_lang(locale: str) -> str:
    """BCP 47 tag for <html lang>: zh_Hans -> zh-Hans."""
    return locale.replace("_", "-")


@cache
def locale_autonym(locale: str) -> str:
    """The locale's name in its own language, for the switcher."""
    name = Locale.parse(locale).display_name or locale
    return name[:1].upper() + name[1:]


@cache
def _translations(locale: str) -> Translations:
    return Translations.load(str(TRANSLATIONS_DIR), [locale])


def translate_in(locale: str, message: str) -> str:
    """Translate a message into a given locale outside of a request (e.g. for indexing)."""
    if locale == "en":
        return message
    return _translations(locale).gettext(message)


def fallback_text(texts: dict[str, str], locale: str) -> tuple[str, str | None]:
    """Pick the text in the reader's locale, else English, else any; return (text, locale)."""
    for candidate in (locale, "en", *LOCALES):
        if texts.get(candidate):
            return texts[candidate], candidate
    for candidate, text in texts.items():
        if text:
            return text, candidate
    return "", None


def remember_requested_locale() -> None:
    """Take ?lang= on every request, also on those that only redirect."""
    requested = normalize_locale(request.args.get("lang"))
    if requested:
        session["locale"] = requested
