"""Inquiry, reply and report forms (the service checks every rule again)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from matchmaker import reference
from matchmaker.reference import labels

from .models import MAX_MESSAGE, MAX_REASON, MAX_SUBJECT, MAX_TIMELINE


def _language_choices() -> list[tuple[str, str]]:
    # Translators: the first choice of a message's language: guessed from its script.
    auto = [("", str(_l("Detect automatically")))]
    return auto + labels.sorted_languages(reference.COMMON_LANGUAGES)


class InquiryForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=MAX_SUBJECT)])
    message = TextAreaField(
        _l("Message"),
        validators=[DataRequired(), Length(max=MAX_MESSAGE)],
        description=_l(
            "Introduce your organization and say what you need. At most 10,000 characters."
        ),
    )
    services = SelectMultipleField(
        _l("Services of interest"), validators=[Optional()], validate_choice=False
    )
    budget = SelectField(_l("Budget band"), validators=[Optional()], validate_choice=False)
    timeline = StringField(
        _l("Timeline"),
        validators=[Optional(), Length(max=MAX_TIMELINE)],
        description=_l("When the work should start or be done, e.g. “from Q3 2027”."),
    )
    language = SelectField(
        _l("Language of the message"), validators=[Optional()], validate_choice=False
    )

    def __init__(self, target, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = target.services or [s.code for s in reference.services()]
        self.services.choices = [(code, str(labels.SERVICE_LABELS[code])) for code in codes]
        self.budget.choices = [("", "—")] + [
            (k, str(labels.BUDGET_LABELS[k])) for k in reference.BUDGET_BANDS
        ]
        self.language.choices = _language_choices()


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), validators=[DataRequired(), Length(max=MAX_MESSAGE)])
    language = SelectField(
        _l("Language of the message"), validators=[Optional()], validate_choice=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = _language_choices()


class ReportForm(FlaskForm):
    reason = TextAreaField(
        _l("What is wrong?"),
        validators=[DataRequired(), Length(max=MAX_REASON)],
        description=_l("The administrators read this report; the other organization does not."),
    )
