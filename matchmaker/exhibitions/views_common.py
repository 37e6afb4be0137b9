"""Small helpers the trade-fair pages share."""

from __future__ import annotations

from flask_login import current_user


def viewer():
    return current_user if current_user.is_authenticated else None
