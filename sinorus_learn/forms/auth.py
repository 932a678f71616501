"""Account forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from sinorus_learn.services.accounts import MIN_PASSWORD_LENGTH

PASSWORD_HELP = f"At least {MIN_PASSWORD_LENGTH} characters."


class LoginForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this device")
    submit = SubmitField("Log in")


class RegisterForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=80)])
    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        "Password",
        description=PASSWORD_HELP,
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )
    submit = SubmitField("Create account")


class SetupForm(RegisterForm):
    submit = SubmitField("Create the admin account")


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    password = PasswordField(
        "New password",
        description=PASSWORD_HELP,
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )
    submit = SubmitField("Change password")


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        description=PASSWORD_HELP,
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )
    submit = SubmitField("Set password")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField("Send me a link")
