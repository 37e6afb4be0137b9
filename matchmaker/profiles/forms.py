from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    URLField,
)
from wtforms.validators import DataRequired, Length, Optional

from matchmaker import reference
from matchmaker.i18n import LOCALES, locale_autonym
from matchmaker.reference import labels

from .service import COLUMN_FIELDS


def _collator(locale: str):
    """An ICU collator for the reader's language (pinyin order in Chinese), if PyICU is there."""
    try:
        import icu
    except ImportError:  # optional: without it names sort by code point, case-folded
        return None
    return icu.Collator.createInstance(icu.Locale(locale.replace("_Hans", "")))


def collated(pairs: list[tuple[str, str]], chosen=()) -> list[tuple[str, str]]:
    """(value, label) pairs in the reader's alphabetical order, the chosen ones first."""
    collator = _collator(str(get_locale() or "en"))
    by_name = collator.getSortKey if collator is not None else str.casefold
    picked = set(chosen or ())
    return sorted(pairs, key=lambda pair: (pair[0] not in picked, by_name(pair[1])))


class OrganizationForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        validators=[DataRequired()],
        validate_choice=False,
        description=_l("Providers offer services; buyers look for them."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    country = SelectField(
        _l("Country or region"), validators=[DataRequired()], validate_choice=False
    )
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    website = URLField(
        _l("Website"),
        validators=[Optional(), Length(max=300)],
        # The isolates keep the address whole inside right-to-left text.
        description=_l("For example %(example)s", example="\u2068www.example.cn\u2069"),
    )
    # Text, not IntegerField: the service checks the year with a translated message, and
    # WTForms' float conversion overflows on absurdly long numbers.
    founded = StringField(_l("Year founded"), validators=[Optional(), Length(max=4)])
    size = SelectField(_l("Company size"), validators=[Optional()], validate_choice=False)
    budget = SelectField(
        _l("Yearly outsourcing budget"),
        validators=[Optional()],
        validate_choice=False,
        description=_l("Buyers only. Helps providers and organizers qualify meetings."),
    )
    services = SelectMultipleField(
        _l("Services"),
        validators=[Optional()],
        validate_choice=False,
        description=_l("Providers: what you offer. Buyers: what you are looking for."),
    )
    target_markets = SelectMultipleField(
        _l("Target markets"),
        validators=[Optional()],
        validate_choice=False,
        description=_l("Providers only: the markets you serve."),
    )
    languages = SelectMultipleField(
        _l("Working languages"), validators=[Optional()], validate_choice=False
    )
    certifications = SelectMultipleField(
        _l("Certifications"), validators=[Optional()], validate_choice=False
    )
    industries = SelectMultipleField(
        _l("Industries"), validators=[Optional()], validate_choice=False
    )
    visibility = SelectField(
        _l("Who can see this profile"), validators=[DataRequired()], validate_choice=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.kind.choices = [(k, str(labels.KIND_LABELS[k])) for k in reference.KINDS]
        self.country.choices = blank + collated(labels.sorted_countries())
        self.size.choices = blank + [(k, str(labels.SIZE_LABELS[k])) for k in reference.SIZE_BANDS]
        self.budget.choices = blank + [
            (k, str(labels.BUDGET_LABELS[k])) for k in reference.BUDGET_BANDS
        ]
        self.services.choices = {
            str(labels.SERVICE_LABELS[family]): [
                (s.code, str(labels.SERVICE_LABELS[s.code]))
                for s in reference.services()
                if s.family == family
            ]
            for family in reference.FAMILIES
        }
        self.market_choices = [
            (g, str(labels.MARKET_LABELS[g])) for g in reference.MARKET_GROUPS if g != "other"
        ]
        self.country_choices = collated(labels.sorted_countries(), self.target_markets.data)
        self.target_markets.choices = self.market_choices + self.country_choices
        # The common languages, plus any rarer one the organization already declared.
        declared = [
            code for code in (self.languages.data or []) if code in reference.LANGUAGE_CODES
        ]
        self.languages.choices = labels.sorted_languages(
            dict.fromkeys([*reference.COMMON_LANGUAGES, *declared])
        )
        self.certifications.choices = [
            (k, str(labels.CERTIFICATION_LABELS[k])) for k in reference.CERTIFICATIONS
        ]
        self.industries.choices = [
            (k, str(labels.INDUSTRY_LABELS[k])) for k in reference.INDUSTRIES
        ]
        self.visibility.choices = [
            (k, str(labels.VISIBILITY_LABELS[k])) for k in reference.VISIBILITIES
        ]
        # One description box per shipped language: profiles are multilingual content.
        self.description_fields = []
        for locale in LOCALES:
            field_name = f"description_{locale}"
            self.description_fields.append((locale, locale_autonym(locale), field_name))

    def service_data(self, request_form) -> dict:
        """The form as the service layer's plain dict (descriptions keyed by locale)."""
        data = {name: getattr(self, name).data for name in COLUMN_FIELDS}
        data["description"] = {
            locale: request_form.get(field, "")[:10000]
            for locale, _label, field in self.description_fields
        }
        return data
