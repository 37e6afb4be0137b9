from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from matchmaker import db
from matchmaker.accounts import service
from matchmaker.accounts.throttle import sign_in_keys, sign_in_throttle
from matchmaker.errors import NotAuthenticated, TooManyRequests, ValidationFailed

from . import bp, json_body, require_user


@bp.post("/v1/auth/tokens")
def create_token():
    data = json_body()
    email, password = data.get("email"), data.get("password")
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        raise ValidationFailed(
            fields={
                key: _("This field is required.")
                for key in ("email", "password")
                if not isinstance(data.get(key), str) or not data.get(key)
            }
        )
    keys = sign_in_keys(request.remote_addr, email)
    if sign_in_throttle.blocked(*keys):
        raise TooManyRequests(_("Too many failed attempts. Wait a few minutes and try again."))
    user = service.authenticate(db.session(), email, password)
    if user is None:
        sign_in_throttle.fail(*keys)
        raise NotAuthenticated(_("The e-mail or the password is wrong."))
    sign_in_throttle.clear(keys[1])
    name = data.get("name") if isinstance(data.get("name"), str) else "api"
    token, plain = service.create_token(db.session(), user, name)
    return {"id": token.id, "token": plain, "token_type": "Bearer"}, 201


@bp.delete("/v1/auth/tokens/<id:token_id>")
def revoke_token(token_id: int):
    service.revoke_token(db.session(), require_user(), token_id)
    return "", 204
