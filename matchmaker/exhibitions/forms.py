"""Forms of the trade-fair pages: fields are plain text, the service checks and explains them."""

from __future__ import annotations

from datetime import date, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import Length, Optional

from matchmaker.i18n import LOCALES, locale_autonym

from .labels import FAIR_STATUS_LABELS, REGISTRATION_STATUS_LABELS  # noqa: F401  (re-exported)
from .models import ROLES, SESSION_KINDS
from .times import known_zones, local, wall_to_utc

# Words for the domain's codes, shared by the fair pages.
SESSION_KIND_LABELS = {
    "talk": _l("Talk"),
    "forum": _l("Forum"),
    "matchmaking": _l("Matchmaking session"),
    "ceremony": _l("Ceremony"),
}
ROLE_LABELS = {"exhibitor": _l("Exhibitor"), "buyer": _l("Buyer"), "visitor": _l("Visitor")}
ROLE_PLURAL_LABELS = {
    "exhibitor": _l("Exhibitors"),
    "buyer": _l("Buyers"),
    "visitor": _l("Visitors"),
}
# Where trade fairs of this trade usually take place: offered first in the zone list.
COMMON_ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Asia/Riyadh",
    "Asia/Almaty",
    "Asia/Tashkent",
    "Europe/Moscow",
    "Europe/Istanbul",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/London",
    "Africa/Cairo",
    "Africa/Nairobi",
    "America/New_York",
    "America/Sao_Paulo",
    "America/Lima",
)
BREAKS = 3  # break rows offered by the form


def zone_choices() -> dict[str, list[tuple[str, str]]]:
    """Common trade-fair zones (with the city in the reader's language), then every zone."""
    from .display import zone_name

    common = [(tz, f"{zone_name(tz)} — {tz}") for tz in COMMON_ZONES]
    rest = sorted(tz for tz in known_zones() if tz not in COMMON_ZONES)
    return {
        str(_l("Common trade-fair time zones")): common,
        str(_l("All time zones")): [(tz, tz) for tz in rest],
    }


def _text_field(label, limit: int) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=limit)])


class ExhibitionForm(FlaskForm):
    """A fair's settings; names and descriptions per language come from the request itself."""

    city = _text_field(_l("City"), 120)
    venue = _text_field(_l("Venue"), 200)
    timezone = SelectField(
        _l("Time zone"),
        validate_choice=False,
        description=_l("Every time of the fair is shown in this zone."),
    )
    starts_on = StringField(_l("First day"))
    ends_on = StringField(_l("Last day"))
    day_start = StringField(_l("Meetings start at"))
    day_end = StringField(_l("Meetings end at"))
    slot_minutes = StringField(
        _l("Meeting length (minutes)"), description=_l("Each B2B meeting slot lasts this long.")
    )
    tables = StringField(
        _l("Meeting tables"), description=_l("Tables are named T01, T02… in this order.")
    )
    buyer_approval = BooleanField(
        _l("Buyers need approval"),
        description=_l("You check each buyer (budget, verified profile) before they take part."),
    )
    capacity_exhibitor = StringField(_l("Places for exhibitors"))
    capacity_buyer = StringField(_l("Places for buyers"))
    capacity_visitor = StringField(_l("Places for visitors"))
    request_cap = StringField(
        _l("Meeting requests per participant"),
        description=_l("Leave empty for no limit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()
        self.group_errors: dict[str, str] = {}
        self.text_fields = [(locale, locale_autonym(locale)) for locale in LOCALES]

    def service_data(self, request_form) -> dict:
        """The form as the service's plain dict (texts keyed by locale, breaks as pairs)."""
        data = {
            name: (getattr(self, name).data or "").strip()
            for name in (
                "city",
                "venue",
                "timezone",
                "starts_on",
                "ends_on",
                "day_start",
                "day_end",
                "slot_minutes",
                "tables",
                *(f"capacity_{role}" for role in ROLES),
                "request_cap",
            )
        }
        data["buyer_approval"] = bool(self.buyer_approval.data)
        data["name"] = {loc: request_form.get(f"name_{loc}", "")[:400] for loc in LOCALES}
        data["description"] = {
            loc: request_form.get(f"description_{loc}", "")[:10000] for loc in LOCALES
        }
        data["breaks"] = []
        for n in range(1, BREAKS + 1):
            starts = request_form.get(f"break_{n}_starts", "").strip()
            ends = request_form.get(f"break_{n}_ends", "").strip()
            if starts or ends:
                data["breaks"].append({"starts": starts, "ends": ends})
        return data

    def fill_from(self, exhibition) -> None:
        """Put a fair's current values into the form (for the edit page)."""
        for name in ("city", "venue", "timezone", "buyer_approval"):
            getattr(self, name).data = getattr(exhibition, name)
        self.starts_on.data = exhibition.starts_on.isoformat()
        self.ends_on.data = exhibition.ends_on.isoformat()
        self.day_start.data = exhibition.day_start.strftime("%H:%M")
        self.day_end.data = exhibition.day_end.strftime("%H:%M")
        for name in ("slot_minutes", *(f"capacity_{r}" for r in ROLES), "request_cap"):
            value = getattr(exhibition, name)
            getattr(self, name).data = "" if value is None else str(value)


def text_values(request_form, prefixes, stored: dict[str, dict[str, str]] | None) -> dict:
    """Per-language inputs to show again: what was sent, else what is stored."""
    if request_form is not None:
        return {
            f"{prefix}_{loc}": request_form.get(f"{prefix}_{loc}", "")
            for prefix in prefixes
            for loc in LOCALES
        }
    stored = stored or {}
    return {
        f"{prefix}_{loc}": stored.get(prefix, {}).get(loc, "")
        for prefix in prefixes
        for loc in LOCALES
    }


def break_values(request_form, exhibition) -> list[tuple[str, str]]:
    """The break rows to show: sent ones, else the fair's, padded to BREAKS rows."""
    if request_form is not None:
        rows = [
            (request_form.get(f"break_{n}_starts", ""), request_form.get(f"break_{n}_ends", ""))
            for n in range(1, BREAKS + 1)
        ]
    else:
        rows = [
            (b.starts.strftime("%H:%M"), b.ends.strftime("%H:%M"))
            for b in (exhibition.breaks if exhibition else [])
        ]
        rows += [("", "")] * (BREAKS - len(rows))
    return rows[:BREAKS]


class OrganizerForm(FlaskForm):
    email = EmailField(
        _l("E-mail of the new organizer"),
        validators=[Optional(), Length(max=254)],
        description=_l("They need an account on matchmaker already."),
    )


class SessionForm(FlaskForm):
    """An agenda session in the fair's local time; titles and speakers per language."""

    kind = SelectField(_l("Kind"), validate_choice=False)
    hall = _text_field(_l("Hall or room"), 80)
    day = SelectField(_l("Day"), validate_choice=False)
    starts = StringField(_l("Starts at"))
    ends = StringField(_l("Ends at"))

    def __init__(self, *args, exhibition, day_labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.exhibition = exhibition
        self.kind.choices = [(k, str(SESSION_KIND_LABELS[k])) for k in SESSION_KINDS]
        self.day.choices = day_labels
        self.group_errors: dict[str, str] = {}
        self.time_errors: dict[str, object] = {}
        self.text_fields = [(locale, locale_autonym(locale)) for locale in LOCALES]

    def service_data(self, request_form) -> dict:
        """The session for the service: local wall times become instants with their offset."""
        data = {"kind": self.kind.data or "", "hall": (self.hall.data or "").strip()}
        data["title"] = {loc: request_form.get(f"title_{loc}", "")[:600] for loc in LOCALES}
        data["speakers"] = {loc: request_form.get(f"speakers_{loc}", "")[:1000] for loc in LOCALES}
        self.time_errors = {}
        data["starts_at"] = self._instant("starts")
        data["ends_at"] = self._instant("ends")
        return data

    def _instant(self, name: str) -> str | None:
        """ISO 8601 with offset of the day and wall time in the fair's zone (None if invalid)."""
        try:
            day = date.fromisoformat(self.day.data or "")
        except ValueError:
            self.time_errors["day"] = _l("Choose a day of the fair.")
            return None
        wall = (getattr(self, name).data or "").strip()
        try:
            clock = time.fromisoformat(wall) if len(wall) in (5, 8) else None
        except ValueError:
            clock = None
        if clock is None:
            self.time_errors[name] = _l("Enter a time as HH:MM.")
            return None
        instant = wall_to_utc(day, clock, self.exhibition.timezone)
        if instant is None:
            self.time_errors[name] = _l("This time does not exist that day: the clocks change.")
            return None
        return local(instant, self.exhibition.timezone).isoformat()

    def fill_from(self, agenda_session) -> None:
        tz = self.exhibition.timezone
        starts, ends = local(agenda_session.starts_at, tz), local(agenda_session.ends_at, tz)
        self.kind.data = agenda_session.kind
        self.hall.data = agenda_session.hall
        self.day.data = starts.date().isoformat()
        self.starts.data = starts.strftime("%H:%M")
        self.ends.data = ends.strftime("%H:%M")

    @staticmethod
    def stored_texts(agenda_session) -> dict[str, dict[str, str]]:
        return {
            "title": {t.locale: t.title for t in agenda_session.texts},
            "speakers": {t.locale: t.speakers for t in agenda_session.texts},
        }


class BoothForm(FlaskForm):
    code = _text_field(_l("Booth code"), 20)
    hall = _text_field(_l("Hall"), 80)
    size = StringField(
        _l("Size"),
        validators=[Optional(), Length(max=40)],
        description=_l("As visitors read it, e.g. 3 × 3 m."),
    )
    row = StringField(_l("Row"), description=_l("Counted from 0 at the top of the plan."))
    col = StringField(_l("Column"), description=_l("Counted from 0 at the left of the plan."))
    width = StringField(_l("Width (grid cells)"), default="1")
    height = StringField(_l("Depth (grid cells)"), default="1")

    def service_data(self) -> dict:
        return {
            name: (getattr(self, name).data or "").strip()
            for name in ("code", "hall", "size", "row", "col", "width", "height")
        }

    def fill_from(self, booth) -> None:
        for name in ("code", "hall", "size", "row", "col", "width", "height"):
            value = getattr(booth, name)
            getattr(self, name).data = "" if value is None else str(value)


class RegistrationForm(FlaskForm):
    role = SelectField(_l("Take part as"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(r, str(ROLE_LABELS[r])) for r in ROLES]


class DecisionForm(FlaskForm):
    reason = StringField(
        _l("Reason"),
        validators=[Optional()],
        description=_l("The organization sees it."),
    )


def today_in(tz: str) -> date:
    """Today's date where the fair takes place."""
    from matchmaker.accounts.models import utcnow

    return local(utcnow(), tz).date()
