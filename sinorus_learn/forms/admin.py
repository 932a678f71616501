"""Admin forms: roles and account status."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

from sinorus_learn.forms.instructor import options
from sinorus_learn.models.user import ROLES


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=options(*[(r, r.title()) for r in ROLES]))
    submit = SubmitField("Change role")


class ActiveForm(FlaskForm):
    submit = SubmitField("Confirm")
