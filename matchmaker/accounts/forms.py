from functools import cache
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from matchmaker.accounts.service import EMAIL_PATTERN, MIN_PASSWORD_LENGTH

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


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
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


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""
