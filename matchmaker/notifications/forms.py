"""The e-mail switches, one checkbox per kind of notification."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField

from .messages import KIND_LABELS
from .models import KINDS


class EmailSettingsForm(FlaskForm):
    """Built below with one field per kind, named like the kind."""


for _kind in KINDS:
    setattr(EmailSettingsForm, _kind, BooleanField(KIND_LABELS[_kind]))
