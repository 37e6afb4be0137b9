"""Pages behind mailed links: verify an address, forgot and reset a password."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import db
from matchmaker.errors import DomainError, TooManyRequests

from . import recovery
from .forms import EmptyForm, ForgotPasswordForm, ResetPasswordForm
from .links import BadLink
from .views import _show_field_errors, bp

# Pages whose address holds a secret token: never pass it on in a Referer header.
_TOKEN_PAGES = {"accounts.verify_email", "accounts.reset_password", "accounts.invitation"}


@bp.after_request
def _hide_token_from_referrers(response):
    if request.endpoint in _TOKEN_PAGES:
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def bad_link_page(error: BadLink, kind: str):
    """One clear page for every link that does not work, saying why and what to do."""
    status = 400 if error.reason == "invalid" else 410
    return render_template("accounts/link_problem.html", reason=error.reason, kind=kind), status


@bp.get("/account/verify/<token>")
def verify_email(token: str):
    try:
        user = recovery.verify_email(db.session(), token)
    except BadLink as error:
        return bad_link_page(error, "verify")
    return render_template("accounts/verified.html", user=user)


@bp.post("/account/verification")
@login_required
def resend_verification():
    if EmptyForm().validate_on_submit():
        try:
            sent = recovery.send_verification(db.session(), current_user, locale=str(get_locale()))
        except TooManyRequests as error:
            flash(str(error.message), "error")
            return redirect(url_for("accounts.settings"), 303)
        if sent:
            flash(_("A new link is on its way to %(email)s.", email=current_user.email), "success")
        else:
            flash(_("Your e-mail address is confirmed already."), "success")
    return redirect(url_for("accounts.settings"), 303)


@bp.route("/account/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.request_password_reset(
                db.session(),
                form.email.data,
                client=request.remote_addr,
                locale=str(get_locale()),
            )
        except TooManyRequests as error:
            form.email.errors = [str(error.message)]
            return render_template("accounts/forgot.html", form=form), 429, error.headers
        # The same answer whether or not an account has this address.
        return render_template("accounts/forgot_sent.html")
    return render_template("accounts/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        recovery.user_for_reset(db.session(), token)
    except BadLink as error:
        return bad_link_page(error, "reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.reset_password(db.session(), token, form.new_password.data)
        except BadLink as error:
            return bad_link_page(error, "reset")
        except DomainError as error:
            _show_field_errors(form, error)
        else:
            if current_user.is_authenticated:
                from flask_login import logout_user

                logout_user()
            flash(
                _("Your password is changed. Sign in with the new one."),
                "success",
            )
            return redirect(url_for("accounts.login"), 303)
    return render_template("accounts/reset.html", form=form), 422 if form.errors else 200
