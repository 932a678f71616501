"""Quiz forms: starting an attempt and reporting a problem with a question."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from sinorus_learn.domain.questions import LEVEL_LABELS, TOPICS, TYPE_LABELS
from sinorus_learn.forms import options
from sinorus_learn.models.attempt import MODES


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: usable by keyboard and without JavaScript."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class StartQuizForm(FlaskForm):
    mode = HiddenField(validators=[InputRequired()])
    topic = HiddenField()
    table = HiddenField()
    topics = MultiCheckboxField("Topics", choices=options(*TOPICS.items()), validate_choice=True)
    types = MultiCheckboxField("Question types", choices=options(*TYPE_LABELS.items()))
    levels = MultiCheckboxField(
        "Skill levels", choices=options(*LEVEL_LABELS.items()), validate_choice=True
    )
    # Objectives come from the lessons in the database: the choices are set by the view, and
    # the quiz service refuses an id that no lesson declares.
    objectives = SelectMultipleField("Objectives", choices=[], validate_choice=False)
    count = IntegerField(
        "Number of questions", default=10, validators=[Optional(), NumberRange(1, 30)]
    )
    minutes = IntegerField(
        "Time limit in minutes (leave empty for none)",
        validators=[Optional(), NumberRange(1, 180)],
    )
    confidence = BooleanField(
        "Rate my confidence",
        description="With each answer, say how sure you are: a sure right answer earns most, "
        "a sure wrong one costs most.",
    )
    # Sent by every form that shows the checkbox: an unticked checkbox sends nothing, so only
    # this marker tells "unticked" from "not offered" (then the account's default applies).
    confidence_choice = HiddenField()
    submit = SubmitField("Start")

    def confidence_wanted(self, default: bool) -> bool:
        """Whether the attempt rates confidence: the checkbox where the form offered it, else
        the learner's default."""
        return bool(self.confidence.data) if self.confidence_choice.data else default

    def validate_mode(self, field: HiddenField) -> None:
        from wtforms.validators import ValidationError

        if field.data not in MODES:
            raise ValidationError("Unknown quiz mode.")


NOTE_MAX = 2000


class ReportProblemForm(FlaskForm):
    note = TextAreaField(
        "What looks wrong?",
        validators=[
            DataRequired("Please describe the problem."),
            Length(min=5, message="Please describe the problem in at least 5 characters."),
            Length(max=NOTE_MAX, message=f"Please keep the note under {NOTE_MAX} characters."),
        ],
        description="Your note goes to the instructors, with the question you saw.",
    )
    submit = SubmitField("Send report")


class FinishForm(FlaskForm):
    submit = SubmitField("Finish and see results")


class HintForm(FlaskForm):
    """Ask for a question's hint: nothing but the CSRF token."""
