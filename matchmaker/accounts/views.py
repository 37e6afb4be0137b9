"""Register, sign in and out, account settings, API tokens."""

from __future__ import annotations

from contextlib import suppress

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import force_locale, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from matchmaker import db
from matchmaker.errors import DomainError, NotFound, TooManyRequests
from matchmaker.i18n import LOCALES, locale_autonym, select_locale
from matchmaker.safety import is_local_path

from . import recovery, service, sessions, teams, throttle
from .forms import (
    ContactForm,
    EmptyForm,
    LoginForm,
    PasswordForm,
    RegisterForm,
    SettingsForm,
    TokenForm,
    time_zone_choices,
)

# No prefix: the team pages live under /organizations/<id>/team (team_views.py).
bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    """Only follow local paths after sign-in (no open redirects)."""
    if is_local_path(target):
        return target
    return url_for("profiles.dashboard")


def sign_in(user) -> None:
    """Sign this browser in with a new server-side session (see accounts/sessions.py)."""
    # A browser signed in as someone else before: that session ends here.
    sessions.end(db.session(), session.pop(sessions.COOKIE_KEY, None))
    session.pop("epoch", None)
    key = sessions.start(db.session(), user, request.user_agent.string)
    login_user(user)
    session[sessions.COOKIE_KEY] = key


def _show_field_errors(form, error: DomainError) -> None:
    for name, message in error.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, str(message)]
        else:
            flash(str(message), "error")


@bp.route("/account/register", methods=["GET", "POST"])
def register():
    invitation = _invitation_from_args()
    form = RegisterForm()
    if request.method == "GET" and invitation is not None:
        form.email.data = invitation.email
    if form.validate_on_submit():
        try:
            # Every attempt from an address counts (a taken address too: no cheap enumeration).
            key = throttle.address_key(throttle.REGISTER_ADDRESS, request.remote_addr)
            throttle.check(db.session(), (throttle.REGISTER_ADDRESS, key))
            throttle.REGISTER_ADDRESS.hit(db.session(), key)
            user = service.create_user(
                db.session(),
                form.email.data,
                form.password.data,
                display_name=form.display_name.data,
                locale=session.get("locale"),
            )
        except TooManyRequests as error:
            form.email.errors = [str(error.message)]
            page = render_template("accounts/register.html", form=form, invitation=invitation)
            return page, 429, error.headers
        except DomainError as error:
            _show_field_errors(form, error)
        else:
            sign_in(user)
            return _welcome(user, invitation)
    return render_template(
        "accounts/register.html", form=form, invitation=invitation
    ), 422 if form.errors else 200


def _invitation_from_args():
    token = request.args.get("invitation")
    if not token:
        return None
    try:
        return teams.invitation_for_token(db.session(), token)
    except DomainError:
        return None


def _welcome(user, invitation):
    """After registering: join the inviting team, or ask to confirm the address."""
    if invitation is not None and invitation.email == user.email:
        try:
            teams.accept_invitation(db.session(), user, request.args["invitation"])
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Welcome! You joined your organization's team."), "success")
            return redirect(url_for("profiles.dashboard"))
    # A fresh account cannot be throttled; and a registration never fails on mail.
    with suppress(DomainError):
        recovery.send_verification(db.session(), user, locale=str(get_locale()))
    flash(
        _(
            "Welcome! We sent you a link to confirm your e-mail address. "
            "Now describe your organization."
        ),
        "success",
    )
    return redirect(url_for("profiles.create"))


@bp.route("/account/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        address, email = request.remote_addr, form.email.data
        try:
            # Per account-and-address pair and per address: never a lock-out from elsewhere.
            throttle.check_sign_in(db.session(), address, email)
        except TooManyRequests as error:
            form.password.errors = [str(error.message)]
            return render_template("accounts/login.html", form=form), 429, error.headers
        user = service.authenticate(db.session(), email, form.password.data)
        if user is not None:
            throttle.sign_in_succeeded(db.session(), address, email)
            sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        throttle.sign_in_failed(db.session(), address, email)
        form.password.errors = [_("The e-mail or the password is wrong.")]
    return render_template("accounts/login.html", form=form), 422 if form.errors else 200


@bp.post("/account/logout")
def logout():
    EmptyForm().validate_on_submit()
    # The session row ends: a copy of this cookie opens nothing any more.
    sessions.end(db.session(), session.pop(sessions.COOKIE_KEY, None))
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("home.index"))


@bp.route("/account/", methods=["GET", "POST"])
@login_required
def settings():
    settings_form = SettingsForm(prefix="settings", obj=current_user)
    settings_form.locale.choices = [("", _("As the browser asks"))] + [
        (code, locale_autonym(code)) for code in LOCALES
    ]
    zones = list(time_zone_choices())
    if current_user.timezone and current_user.timezone not in zones:
        zones = sorted([*zones, current_user.timezone])
    settings_form.timezone.choices = [("", _("Not set"))] + [(zone, zone) for zone in zones]
    password_form = PasswordForm(prefix="password")
    token_form = TokenForm(prefix="token")
    token_form.expires_in_days.choices = [
        (days, ngettext("%(days)s day", "%(days)s days", days, days=format_decimal(days)))
        for days in service.TOKEN_DAYS_CHOICES
    ]
    contact_form = ContactForm(prefix="contact", obj=current_user)
    status, new_token = 200, None
    if request.method == "POST":
        status, new_token = _handle_settings_post(
            settings_form, password_form, token_form, contact_form
        )
        if status == 303:
            return redirect(url_for("accounts.settings"), 303)
    tokens = service.list_tokens(db.session(), current_user)
    live = sessions.active(db.session(), current_user, session.get(sessions.COOKIE_KEY))
    # A new token, sessions and contact details: no cache may keep this page.
    headers = {**g.pop("retry_after_headers", {}), "Cache-Control": "no-store"}
    return (
        render_template(
            "accounts/settings.html",
            settings_form=settings_form,
            password_form=password_form,
            token_form=token_form,
            contact_form=contact_form,
            tokens=tokens,
            token_state=service.token_state,
            # Shown once, in this response only: never stored in the (signed, not encrypted) cookie.
            new_token=new_token,
            revoke_form=EmptyForm(),
            sessions=live,
        ),
        status,
        headers,
    )


def _handle_settings_post(
    settings_form, password_form, token_form, contact_form
) -> tuple[int, str | None]:
    action = request.form.get("action")
    forms = {
        "settings": settings_form,
        "password": password_form,
        "token": token_form,
        "contact": contact_form,
    }
    form = forms.get(action)
    if form is None or not form.validate_on_submit():
        return 422, None
    try:
        if action == "settings":
            current_user.display_name = settings_form.display_name.data.strip()
            current_user.timezone = settings_form.timezone.data or None
            service.set_locale(db.session(), current_user, settings_form.locale.data or None)
            session.pop("locale", None)
            with force_locale(settings_form.locale.data or select_locale()):
                flash(_("Your settings are saved."), "success")
        elif action == "password":
            # Wrong current passwords count too: a borrowed session cannot guess on and on.
            key = throttle.account_key(throttle.PASSWORD_CHANGE, current_user.id)
            throttle.check(db.session(), (throttle.PASSWORD_CHANGE, key))
            throttle.PASSWORD_CHANGE.hit(db.session(), key)
            # This session stays signed in; every other one ends.
            service.change_password(
                db.session(),
                current_user,
                password_form.current_password.data,
                password_form.new_password.data,
                keep_session=session.get(sessions.COOKIE_KEY),
            )
            flash(
                _("Your password is changed. Other sessions and all API tokens stopped working."),
                "success",
            )
        elif action == "contact":
            service.update_contact_details(
                db.session(),
                current_user,
                title=contact_form.title.data or "",
                phone=contact_form.phone.data or "",
                spoken_languages=contact_form.spoken_languages.data or [],
            )
            flash(_("Your contact details are saved."), "success")
        else:
            key = throttle.account_key(throttle.TOKEN_ACCOUNT, current_user.email)
            throttle.check(db.session(), (throttle.TOKEN_ACCOUNT, key))
            _token, plain = service.create_token(
                db.session(),
                current_user,
                token_form.name.data,
                expires_in_days=token_form.expires_in_days.data,
            )
            throttle.TOKEN_ACCOUNT.hit(db.session(), key)
            token_form.name.data = ""
            return 201, plain
    except TooManyRequests as error:
        field = password_form.current_password if action == "password" else token_form.name
        field.errors = [*field.errors, str(error.message)]
        g.retry_after_headers = error.headers
        return 429, None
    except DomainError as error:
        _show_field_errors(form, error)
        return 422, None
    return 303, None


@bp.post("/account/tokens/<id:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if EmptyForm().validate_on_submit():
        try:
            service.revoke_token(db.session(), current_user, token_id)
        except NotFound:
            flash(_("No such token."), "error")
        else:
            flash(_("The token is revoked."), "success")
    return redirect(url_for("accounts.settings"), 303)


@bp.post("/account/sessions/<id:session_id>/end")
@login_required
def end_session(session_id: int):
    """End one of the account's sessions (this browser's too: then it is signed out)."""
    if EmptyForm().validate_on_submit():
        own_key = session.get(sessions.COOKIE_KEY)
        current = next(
            (s for s in sessions.active(db.session(), current_user, own_key) if s.current), None
        )
        try:
            sessions.end_one(db.session(), current_user, session_id)
        except NotFound:
            flash(_("No such session."), "error")
        else:
            if current is not None and current.id == session_id:
                session.pop(sessions.COOKIE_KEY, None)
                logout_user()
                flash(_("You are signed out."), "success")
                return redirect(url_for("home.index"), 303)
            flash(_("That session is signed out."), "success")
    return redirect(url_for("accounts.settings", _anchor="sessions"), 303)


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    """Sign out everywhere else: every session of the account but this browser's ends."""
    if EmptyForm().validate_on_submit():
        ended = sessions.end_all(
            db.session(), current_user, keep_key=session.get(sessions.COOKIE_KEY)
        )
        db.session().commit()
        flash(
            ngettext(
                "%(count)s other session is signed out.",
                "%(count)s other sessions are signed out.",
                ended,
                count=format_decimal(ended),
            ),
            "success",
        )
    return redirect(url_for("accounts.settings", _anchor="sessions"), 303)


# Routes of the same blueprint, split by idea.
from . import link_views, team_views  # noqa: E402,F401
