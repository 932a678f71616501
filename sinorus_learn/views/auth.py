"""Register, log in, log out, change password."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from sinorus_learn.extensions import limiter
from sinorus_learn.forms.auth import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    PreferencesForm,
    RegisterForm,
    SetPasswordForm,
)
from sinorus_learn.models import User
from sinorus_learn.services import accounts, mail, passwords
from sinorus_learn.views.access import safe_next

bp = Blueprint("auth", __name__, url_prefix="/account")


TOO_MANY = "Too many attempts. Please wait a few minutes and try again."


def _limit(name: str, key_func: Callable[[], str] | None = None, failures: bool = False):  # type: ignore[no-untyped-def]
    """Limit POSTs by the setting ``name``; with ``failures``, only refused ones count."""
    return limiter.limit(
        lambda: current_app.config[name],
        methods=["POST"],
        key_func=key_func,
        error_message=TOO_MANY,
        deduct_when=_refused if failures else None,
    )


def _refused(response: Response) -> bool:
    return response.status_code != 302  # every success here redirects


def _account_and_client() -> str:
    email = accounts.normalise_email(request.form.get("email", ""))[:320]
    return f"{email}|{get_remote_address()}"


def fresh_session_token() -> None:
    """Drop the CSRF token of the signed-out session: one seen before log-in must not work after."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)


@bp.route("/register", methods=["GET", "POST"])
@_limit("REGISTER_RATE_LIMIT", get_remote_address)
def register() -> str | Response:
    """Create a student account and log it in."""
    return account_form_page(
        RegisterForm(),
        accounts.create_user,
        "auth/register.html",
        "Your account is ready. Pick a topic to start.",
        "lessons.topics",
    )


def account_form_page(
    form: RegisterForm,
    create: Callable[[str, str, str], User],
    template: str,
    welcome: str,
    endpoint: str,
) -> str | Response:
    """Show a new-account form; on a valid POST, ``create`` the account, log it in, go on to
    ``endpoint``. Register (a student) and setup (the first admin) differ only in these."""
    if form.validate_on_submit():
        try:
            user = create(
                form.email.data or "", form.password.data or "", form.display_name.data or ""
            )
        except accounts.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            login_user(user)
            fresh_session_token()
            flash(welcome, "success")
            return redirect(url_for(endpoint))
    return render_template(template, form=form)


@bp.route("/login", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT", get_remote_address)
@_limit("LOGIN_CLIENT_FAILURE_LIMIT", get_remote_address, failures=True)
@_limit("LOGIN_ACCOUNT_FAILURE_LIMIT", _account_and_client, failures=True)
def login() -> str | Response:
    """Log in by e-mail and password; repeated failures are rate-limited."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data or "", form.password.data or "")
        except accounts.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            login_user(user, remember=bool(form.remember.data))
            fresh_session_token()
            return redirect(safe_next(request.args.get("next"), url_for("lessons.topics")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Log out, ending every session and remember-me cookie of the account."""
    accounts.end_sessions(current_user)
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("main.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@_limit("PASSWORD_CHECK_LIMIT", failures=True)  # per user: the current password is a guess too
def change_password() -> str | Response:
    """Change one's password, checking the current one; other devices are logged out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user, form.current.data or "", form.password.data or ""
            )
        except accounts.AccountError as exc:
            form.current.errors.append(str(exc))
        else:
            login_user(current_user._get_current_object())  # re-issue the cookie, new generation
            flash("Your password is changed. Other devices have been logged out.", "success")
            return redirect(url_for("lessons.topics"))
    return render_template("auth/change_password.html", form=form, preferences=_preferences())


def _preferences() -> PreferencesForm:
    return PreferencesForm(formdata=None, confidence_default=current_user.confidence_default)


@bp.post("/preferences")
@login_required
def preferences() -> Response:
    """Save the learner's preferences: whether new quizzes rate confidence."""
    form = PreferencesForm()
    if not form.validate():
        flash("Your form expired. Please try again.", "error")
    else:
        accounts.set_confidence_default(current_user.id, bool(form.confidence_default.data))
        flash("Your preferences are saved.", "success")
    return redirect(url_for("auth.change_password"))


def private(page: str) -> Response:
    """A page carrying a one-time link: never cached, and never sent on as a Referer."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
def set_password(token: str) -> Response:
    """Set a password through a one-time welcome or reset link."""
    form = SetPasswordForm()
    try:
        user = passwords.token_user(token)
    except accounts.AccountError as exc:
        return private(render_template("auth/set_password.html", form=None, error=str(exc)))
    if form.validate_on_submit():
        try:
            user = passwords.set_password_with_token(token, form.password.data or "")
        except accounts.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            logout_user()
            flash("Your password is set. Log in with it.", "success")
            return redirect(url_for("auth.login"))
    return private(render_template("auth/set_password.html", form=form, user=user, error=None))


@bp.route("/forgot", methods=["GET", "POST"])
@_limit("FORGOT_RATE_LIMIT")
def forgot_password() -> str | Response:
    """E-mail a reset link; the page says the same whether or not the address exists."""
    enabled = mail.mail_enabled(current_app.config)
    form = ForgotPasswordForm()
    if enabled and form.validate_on_submit():
        hours = current_app.config["RESET_LINK_HOURS"]
        issued = passwords.reset_for_email(form.email.data or "", hours)
        if issued is not None:
            link = url_for("auth.set_password", token=issued.token, _external=True)
            try:
                mail.send_reset_link(current_app.config, issued.email, link, hours)
            except OSError:
                current_app.logger.exception("sending a reset link failed")
        # the same answer whether or not the address has an account
        flash("If an account uses that address, a link to set a new password is on its way.")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form, enabled=enabled)
