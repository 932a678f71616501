"""Admin forms: roles and account status."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from sinorus_learn.forms.instructor import options
from sinorus_learn.models.user import ROLES


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=options(*[(r, r.title()) for r in ROLES]))
    submit = SubmitField("Change role")


class ActiveForm(FlaskForm):
    submit = SubmitField("Confirm")


class NewUserForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    role = SelectField("Role", choices=options(*[(r, r.title()) for r in ROLES]), default="student")
    submit = SubmitField("Create account")
