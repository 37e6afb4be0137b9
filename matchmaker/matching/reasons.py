"""Reasons in the reader's language."""

from __future__ import annotations

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _

from matchmaker.i18n import RTL_LOCALES
from matchmaker.reference import labels

# First-strong isolate / pop directional isolate: keep "ISO/IEC 27001" whole in Arabic text.
_FSI, _PDI = "\u2068", "\u2069"


def _in_sentence(label) -> str:
    """English labels are title-like ("Call centre services"); inside a sentence they start small.

    Only English: the other catalogs phrase reasons as "label: value", and acronyms stay.
    """
    text = str(label)
    if str(get_locale() or "en") != "en" or text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def reason_label(
    reason_type: str,
    code: str,
    viewer_kind: str,
    partner_kind: str | None = None,
    names: list[str] | tuple[str, ...] = (),
) -> str:
    """Say why a partner fits; in a right-to-left language the names inside are isolated.

    ``names`` (for "peers"): organizations like the viewer's that met or saved the
    partner, already limited to those the reader may see.
    """
    if partner_kind is None:
        partner_kind = "provider" if viewer_kind == "buyer" else "buyer"
    if reason_type == "peers" and names:
        return _peers_with_names(partner_kind, names)
    return _reason_label(reason_type, code, viewer_kind, partner_kind)


def _peers_with_names(partner_kind: str, names) -> str:
    # CLDR's list pattern: "A, B and C", "A、B和C", "A وB وC".
    listed = format_list([_isolate(name) for name in names], locale=str(get_locale() or "en"))
    if partner_kind == "provider":
        return _("Buyers like you met or saved this provider: %(names)s", names=listed)
    return _("Firms like yours met or saved this buyer: %(names)s", names=listed)


def _isolate(text: str) -> str:
    if str(get_locale() or "en") in RTL_LOCALES:
        return f"{_FSI}{text}{_PDI}"
    return text


def _reason_label(reason_type: str, code: str, viewer_kind: str, partner_kind: str) -> str:
    """Say why a partner fits, from the point of view of the organization it was found for.

    The wording follows the kind of the partner (by default the viewer's counterpart):
    a buyer "Seeks …" and "Works in insurance"; only a provider "Holds CMMI 3".
    """
    if reason_type == "service":
        name = _in_sentence(labels.SERVICE_LABELS.get(code, code))
        if partner_kind == "provider":
            return _("Offers %(service)s, which you seek", service=_isolate(name))
        return _("Seeks %(service)s, which you offer", service=_isolate(name))
    if reason_type == "family":
        name = str(labels.FAMILY_SHORT_LABELS.get(code, code))
        if partner_kind == "provider":
            return _("Works in %(family)s, where you seek services", family=_isolate(name))
        return _("Seeks %(family)s services like yours", family=_isolate(name))
    if reason_type == "market":
        if code in labels.MARKET_LABELS:
            market = _in_sentence(labels.MARKET_LABELS[code])
            if viewer_kind == "buyer":
                return _("Serves your market group: %(market)s", market=_isolate(market))
            return _("Based in a market group you serve: %(market)s", market=_isolate(market))
        country = labels.country_name(code)
        if viewer_kind == "buyer":
            return _("Targets %(country)s", country=_isolate(country))
        return _("Based in %(country)s, which you target", country=_isolate(country))
    if reason_type == "language":
        return _("Speaks %(language)s", language=_isolate(labels.language_name(code)))
    if reason_type == "industry":
        industry = _in_sentence(labels.INDUSTRY_LABELS.get(code, code))
        if partner_kind == "buyer":
            return _("Works in %(industry)s", industry=_isolate(industry))
        return _("Knows %(industry)s", industry=_isolate(industry))
    if reason_type == "certification":
        name = str(labels.CERTIFICATION_LABELS.get(code, code))
        if partner_kind == "buyer":
            return _("Looks for %(certification)s, which you hold", certification=_isolate(name))
        return _("Holds %(certification)s", certification=_isolate(name))
    if reason_type == "peers":
        if partner_kind == "provider":
            return _("Buyers like you met or saved this provider")
        return _("Firms like yours met or saved this buyer")
    return reason_type
