"""Reasons in the reader's language."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from matchmaker.reference import labels


def _in_sentence(label) -> str:
    """English labels are title-like ("Call centre services"); inside a sentence they start small.

    Only English: the other catalogs phrase reasons as "label: value", and acronyms stay.
    """
    text = str(label)
    if str(get_locale() or "en") != "en" or text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def reason_label(reason_type: str, code: str, viewer_kind: str) -> str:
    """Say why a partner fits, from the point of view of the organization it was found for."""
    if reason_type == "service":
        name = _in_sentence(labels.SERVICE_LABELS.get(code, code))
        if viewer_kind == "buyer":
            return _("Offers %(service)s, which you seek", service=name)
        return _("Seeks %(service)s, which you offer", service=name)
    if reason_type == "family":
        name = str(labels.FAMILY_SHORT_LABELS.get(code, code))
        if viewer_kind == "buyer":
            return _("Works in %(family)s, where you seek services", family=name)
        return _("Seeks %(family)s services like yours", family=name)
    if reason_type == "market":
        if code in labels.MARKET_LABELS:
            market = _in_sentence(labels.MARKET_LABELS[code])
            if viewer_kind == "buyer":
                return _("Serves your market group: %(market)s", market=market)
            return _("Based in a market group you serve: %(market)s", market=market)
        country = labels.country_name(code)
        if viewer_kind == "buyer":
            return _("Targets %(country)s", country=country)
        return _("Based in %(country)s, which you target", country=country)
    if reason_type == "language":
        return _("Speaks %(language)s", language=labels.language_name(code))
    if reason_type == "industry":
        industry = _in_sentence(labels.INDUSTRY_LABELS.get(code, code))
        return _("Knows %(industry)s", industry=industry)
    if reason_type == "certification":
        name = str(labels.CERTIFICATION_LABELS.get(code, code))
        return _("Holds %(certification)s", certification=name)
    if reason_type == "peers":
        if viewer_kind == "buyer":
            return _("Buyers like you met or saved this provider")
        return _("Firms like yours met or saved this buyer")
    return reason_type
