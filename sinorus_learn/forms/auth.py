"""Account forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from sinorus_learn.services.accounts import MIN_PASSWORD_LENGTH

PASSWORD_HELP = f"At least {MIN_PASSWORD_LENGTH} characters."


def _new_password(label: str) -> UnboundField:
    """A field for a password being chosen: long enough, and not absurdly long."""
    return PasswordField(
        label,
        description=PASSWORD_HELP,
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )


def _repeated(label: str) -> UnboundField:
    """A field that must repeat the ``password`` field."""
    return PasswordField(
        label, validators=[DataRequired(), EqualTo("password", message="The passwords differ.")]
    )


class LoginForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this device")
    submit = SubmitField("Log in")


class RegisterForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=80)])
    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    password = _new_password("Password")
    confirm = _repeated("Repeat the password")
    submit = SubmitField("Create account")


class SetupForm(RegisterForm):
    submit = SubmitField("Create the admin account")


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    password = _new_password("New password")
    confirm = _repeated("Repeat the new password")
    submit = SubmitField("Change password")


class PreferencesForm(FlaskForm):
    confidence_default = BooleanField(
        "Ask how sure I am with each answer",
        description="New quizzes start with “Rate my confidence” ticked; you can still untick "
        "it for one quiz.",
    )
    submit = SubmitField("Save preferences")


class SetPasswordForm(FlaskForm):
    password = _new_password("New password")
    confirm = _repeated("Repeat the new password")
    submit = SubmitField("Set password")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField("Send me a link")
