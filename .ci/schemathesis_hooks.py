"""Schemathesis hooks for .ci/api_fuzz.py: an administrator's token that renews itself.

The fuzzer learns token ids from responses and revokes them; a fresh token every few
seconds keeps it signed in. Tokens are made straight in the test instance's database.
"""

from __future__ import annotations

import schemathesis

from matchmaker import create_app, db
from matchmaker.accounts.service import create_token, user_by_email

APP = create_app()


@schemathesis.auth(refresh_interval=2)
class AdminToken:
    def get(self, case, context):
        with APP.app_context():
            admin = user_by_email(db.session(), "admin@matchmaker.example")
            return create_token(db.session(), admin, "schemathesis")[1]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
