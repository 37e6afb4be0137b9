from functools import cache
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from matchmaker import reference
from matchmaker.accounts.service import EMAIL_PATTERN, MIN_PASSWORD_LENGTH, TOKEN_DAYS_DEFAULT
from matchmaker.reference import labels

# Names in the tz database that are not places where people live.
_NOT_ZONES = {"localtime", "Factory"}


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_ZONES


@cache
def time_zone_choices() -> tuple[str, ...]:
    """IANA zones to offer: Region/City names (and UTC), without legacy aliases."""
    legacy = ("Etc/", "SystemV/", "US/", "posix/", "right/")
    return tuple(
        sorted(
            zone
            for zone in _known_zones()
            if zone == "UTC" or ("/" in zone and not zone.startswith(legacy))
        )
    )


def _valid_zone(_form, field) -> None:
    if field.data and field.data not in _known_zones():
        raise ValidationError(_l("Choose a time zone from the list."))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class RegisterForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("Shown to the people you meet."),
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(),
            Length(max=254),
            Regexp(EMAIL_PATTERN, message=_l("Enter a valid e-mail address.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD_LENGTH, max=200, message=_l("At least 8 characters.")),
        ],
        description=_l("At least 8 characters."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ResetPasswordForm(FlaskForm):
    """A new password, twice (the reset link stands for the old one)."""

    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD_LENGTH, max=200, message=_l("At least 8 characters.")),
        ],
        description=_l("At least 8 characters."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class PasswordForm(ResetPasswordForm):
    """Changing the password while signed in: the current one proves it is you."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class SettingsForm(FlaskForm):
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    locale = SelectField(_l("Language"), validators=[Optional()], choices=[])
    timezone = SelectField(
        _l("Time zone"),
        validators=[Optional(), Length(max=64), _valid_zone],
        choices=[],
        # Any zone of the tz database is accepted (a browser may name an alias).
        validate_choice=False,
        description=_l("Fair times are shown in the fair's zone and, beside them, in yours."),
    )


class TokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Say what uses it, e.g. “CRM sync”."),
    )
    expires_in_days = SelectField(
        _l("Expires after"),
        coerce=int,
        choices=[],  # set per request, in the reader's language
        default=TOKEN_DAYS_DEFAULT,
        description=_l("The token stops working then; make a new one before."),
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""


class ContactForm(FlaskForm):
    """What the organization's profile shows of its contact person."""

    title = StringField(
        _l("Job title"),
        validators=[Optional(), Length(max=120)],
        description=_l("Shown on your organization's profile, e.g. “Sales director”."),
    )
    phone = StringField(
        _l("Phone"),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(r"^\+?[0-9 ()./-]{3,40}$", message=_l("Use digits, spaces and + ( ) - only.")),
        ],
        description=_l(
            "With the country code, e.g. +86 411 8888 1234. Shown only to your team and to "
            "organizations you are in a conversation with."
        ),
    )
    spoken_languages = SelectMultipleField(
        _l("Languages you speak"), validators=[Optional()], validate_choice=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        declared = [
            code for code in (self.spoken_languages.data or []) if code in reference.LANGUAGE_CODES
        ]
        self.spoken_languages.choices = labels.sorted_languages(
            dict.fromkeys([*reference.COMMON_LANGUAGES, *declared])
        )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(),
            Length(max=254),
            Regexp(EMAIL_PATTERN, message=_l("Enter a valid e-mail address.")),
        ],
        description=_l("The address you sign in with."),
    )


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Colleague's e-mail"),
        validators=[
            DataRequired(),
            Length(max=254),
            Regexp(EMAIL_PATTERN, message=_l("Enter a valid e-mail address.")),
        ],
        description=_l("They get a link that works for 7 days."),
    )
