"""Instructor forms: questions, bank filters, import/export, classes, problem reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    FloatField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from sinorus_learn.domain.content import Objective
from sinorus_learn.domain.qtypes import Problem
from sinorus_learn.domain.questions import LEVEL_LABELS, TOPICS, TYPE_LABELS
from sinorus_learn.forms import options
from sinorus_learn.models.question import ORIGINS, STATUSES
from sinorus_learn.services.authoring import QuestionInput

TOPIC_CHOICES = list(TOPICS.items())
TYPE_CHOICES = list(TYPE_LABELS.items())
DIFFICULTY_CHOICES = [("1", "1 – easy"), ("2", "2 – medium"), ("3", "3 – hard")]
ORIGIN_CHOICES = [(o, o.title()) for o in ORIGINS]
LEVEL_CHOICES = list(LEVEL_LABELS.items())
TEXT_FORMAT_CHOICES = [("markdown", "Markdown"), ("html", "HTML (sanitised)")]
LEVEL_HELP = (
    "Recall: a fact as stated. Explain: why, or what it means for the argument. Data: read "
    "or compare the report's figures. Evaluate: weigh a claim, a source or a hedge."
)


def objective_options(
    objectives: Mapping[str, Sequence[Objective]], with_text: bool = True
) -> list[SelectChoice]:
    """Return every lesson objective as an option, grouped under its topic's title; without
    its text (kept as a tooltip) where a narrow select is wanted."""
    return [
        SelectChoice(
            o.id,
            f"{o.id}: {o.text}" if with_text else o.id,
            render_kw={} if with_text else {"title": o.text},
            optgroup=TOPICS.get(topic, topic),
        )
        for topic, found in objectives.items()
        for o in found
    ]


class QuestionForm(FlaskForm):
    qtype = SelectField(
        "Question type", choices=options(*TYPE_CHOICES), validators=[InputRequired()]
    )
    prompt = TextAreaField(
        "Prompt",
        validators=[DataRequired(message="Write the question."), Length(max=5000)],
        description="Markdown, shown to the learner as written (or HTML: see Text format).",
    )
    text_format = SelectField(
        "Text format",
        choices=options(*TEXT_FORMAT_CHOICES),
        default="markdown",
        description="How the prompt and the explanation are written. HTML (a GIFT [html] "
        "file's) is sanitised: no scripts, styles or images.",
    )
    topic = SelectField("Topic", choices=options(*TOPIC_CHOICES), validators=[InputRequired()])
    difficulty = SelectField(
        "Difficulty", choices=options(*DIFFICULTY_CHOICES), coerce=int, default=1
    )
    tags = StringField("Tags", validators=[Length(max=300)], description="Separated by commas.")
    choices = TextAreaField(
        "Choices or items, one per line",
        validators=[Length(max=5000)],
        description="Multiple choice / select: every choice. Ordering: the items in the correct "
        "order (learners see them shuffled). Matching: extra wrong options (distractors).",
    )
    correct = TextAreaField(
        "Correct answer(s), one per line",
        validators=[Length(max=5000)],
        description="Multiple choice: the one correct choice. Multiple select: every correct "
        "choice. Short answer: every accepted variant.",
    )
    true_false = SelectField(
        "The statement is", choices=options(("true", "True"), ("false", "False")), default="true"
    )
    numeric_value = FloatField("Numeric answer", validators=[Optional()])
    tolerance = FloatField(
        "Tolerance (±)",
        validators=[Optional()],
        default=0.0,
        description="Answers within the value ± tolerance are right.",
    )
    unit = StringField("Unit", validators=[Length(max=40)])
    pairs = TextAreaField(
        "Pairs to match, one per line as “left = right”", validators=[Length(max=5000)]
    )
    model_answer = TextAreaField(
        "Model answer (explain in your own words)",
        validators=[Length(max=5000)],
        description="Shown after the learner has written and submitted their own answer; at "
        "most about 120 words.",
    )
    checklist = TextAreaField(
        "Checklist (explain in your own words), one point per line",
        validators=[Length(max=5000)],
        description="2 to 5 points a good answer makes, each as “point | the report's words "
        "| lesson | footnotes”, e.g. “Trade grew fast | growing at more than 30 percent "
        "annually | economics | 5”. Only the point is required. Learners tick the points "
        "their text makes.",
    )
    explanation = TextAreaField(
        "Explanation",
        validators=[Length(max=5000)],
        description=(
            "Markdown. Shown after the learner answers: why the answer is right, in your own "
            "words, at most about 60 words. Sources go in the footnotes and evidence below."
        ),
    )
    source_table = SelectField(
        "Data table (optional)", choices=options(("", "— none —")), default=""
    )
    source_rows = StringField(
        "Table rows (optional)", validators=[Length(max=300)], description="Row keys, by commas."
    )
    footnotes = StringField(
        "Footnotes (optional)", validators=[Length(max=100)], description="Numbers, by commas."
    )
    level = SelectField(
        "Level",
        choices=options(("", "— choose —"), *LEVEL_CHOICES),
        default="",
        description=LEVEL_HELP,
    )
    objectives = SelectMultipleField(
        "Objectives",
        choices=[],
        description="At least one objective of the topic's lesson (hold Ctrl or ⌘ to pick "
        "several): what a learner who answers it can do.",
    )
    fact = StringField(
        "Fact asked (optional)",
        validators=[Length(max=255)],
        description="Questions asking the same fact never share a quiz: a table cell "
        "(crude_oil_imports:2005:share), an event (timeline:nerchinsk) or a claim "
        "(claim:sco-not-alliance). Empty: a fact of its own.",
    )
    given = StringField(
        "Facts the question states (optional)",
        validators=[Length(max=500)],
        description="Fact ids, by commas: no quiz pairs this question with one asking them.",
    )
    evidence = TextAreaField(
        "Evidence (optional)",
        validators=[Length(max=1000)],
        description="The report's own words that back the answer, copied exactly (at most "
        "about 25 words); checked against the report.",
    )
    option_feedback = TextAreaField(
        "Feedback on wrong options (optional)",
        validators=[Length(max=5000)],
        description="Multiple choice / select: one per line as “wrong option = feedback”, "
        "for a learner who picks it (the misreading behind it).",
    )
    hint = TextAreaField(
        "Hint (optional)",
        validators=[Length(max=500)],
        description="Shown only to a learner who asks for it before answering: point to the "
        "lesson passage or table column to look at, never the answer. An answer given with "
        "the hint counts at most as Hard in the learner's reviews.",
    )
    submit = SubmitField("Save question")
    save_draft = SubmitField("Save as draft")

    def __init__(
        self,
        *args: Any,
        table_ids: list[str] | None = None,
        objectives: Mapping[str, Sequence[Objective]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source_table.choices = options(("", "— none —"), *[(t, t) for t in table_ids or ()])
        self.objectives.choices = objective_options(objectives or {})
        self.objectives.render_kw = {"size": 10}

    def to_input(self) -> QuestionInput:
        """Return the submitted values as plain data for the service."""
        return QuestionInput(
            qtype=self.qtype.data or "",
            prompt=self.prompt.data or "",
            topic=self.topic.data or "",
            difficulty=int(self.difficulty.data or 1),
            explanation=self.explanation.data or "",
            tags=self.tags.data or "",
            choices=self.choices.data or "",
            correct=self.correct.data or "",
            true_false=self.true_false.data or "true",
            numeric_value=self.numeric_value.data,
            tolerance=self.tolerance.data,
            unit=self.unit.data or "",
            pairs=self.pairs.data or "",
            model_answer=self.model_answer.data or "",
            checklist=self.checklist.data or "",
            source_table=self.source_table.data or "",
            source_rows=self.source_rows.data or "",
            footnotes=self.footnotes.data or "",
            objectives=tuple(self.objectives.data or ()),
            level=self.level.data or "",
            fact=self.fact.data or "",
            given=self.given.data or "",
            evidence=self.evidence.data or "",
            option_feedback=self.option_feedback.data or "",
            text_format=self.text_format.data or "markdown",
            hint=self.hint.data or "",
        )

    def add_problems(self, problems: Iterable[Problem]) -> None:
        """Show each of a service's problems next to its field (the prompt's when the form
        has no such field)."""
        for problem in problems:
            field = getattr(self, problem.field, None) or self.prompt
            field.errors = [*field.errors, problem.message]


class BankFilterForm(FlaskForm):
    """The bank browser's filters: a GET form (no state change, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField("Search text", validators=[Optional(), Length(max=200)])
    topic = SelectField("Topic", choices=options(("", "Any topic"), *TOPIC_CHOICES), default="")
    qtype = SelectField("Type", choices=options(("", "Any type"), *TYPE_CHOICES), default="")
    origin = SelectField("Source", choices=options(("", "Any source"), *ORIGIN_CHOICES), default="")
    tag = StringField("Tag", validators=[Optional(), Length(max=60)])
    status = SelectField(
        "Status",
        choices=options(("", "Any status"), *[(s, s.title()) for s in STATUSES]),
        default="",
    )
    level = SelectField("Level", choices=options(("", "Any level"), *LEVEL_CHOICES), default="")
    objective = SelectField("Objective", choices=[], default="")

    def __init__(
        self, *args: Any, objectives: Mapping[str, Sequence[Objective]] | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.objective.choices = [
            SelectChoice("", "Any objective"),
            *objective_options(objectives or {}, with_text=False),
        ]


class ConfirmForm(FlaskForm):
    """A button that changes state (retire, restore, publish): only the CSRF token."""

    submit = SubmitField("Confirm")


class PublishForm(FlaskForm):
    """Publish the drafts ticked in the bank browser."""

    question = SelectMultipleField(
        "Questions to publish", coerce=int, validate_choice=False, validators=[InputRequired(
            message="Tick the drafts to publish.")]
    )  # fmt: skip
    submit = SubmitField("Publish selected drafts")


class ImportForm(FlaskForm):
    file = FileField("Question file (GIFT or JSON)", validators=[FileRequired("Choose a file.")])
    topic = SelectField(
        "Topic",
        choices=options(*TOPIC_CHOICES),
        default="overview",
        description="For GIFT questions whose $CATEGORY names no topic (you can map each "
        "category on the next page), and the topic whose default objectives are chosen below.",
    )
    level = SelectField(
        "Default level",
        choices=options(("", "— none: every question gives its own —"), *LEVEL_CHOICES),
        default="",
        description="Given to questions that carry no level (a Moodle file's). " + LEVEL_HELP,
    )
    objectives = SelectMultipleField(
        "Default objectives",
        choices=[],
        description="Objectives of the topic above, given to its questions that carry none "
        "(hold Ctrl or ⌘ to pick several).",
    )
    submit = SubmitField("Upload and preview")

    def __init__(
        self, *args: Any, objectives: Mapping[str, Sequence[Objective]] | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.objectives.choices = objective_options(objectives or {})
        self.objectives.render_kw = {"size": 8}


class ExportForm(FlaskForm):
    class Meta:
        csrf = False

    format = SelectField(
        "Format", choices=options(("json", "JSON"), ("gift", "GIFT")), default="json"
    )
    topic = SelectField("Topic", choices=options(("", "Every topic"), *TOPIC_CHOICES), default="")
    source = SelectField(
        "Source", choices=options(("", "Every source"), *ORIGIN_CHOICES), default=""
    )


class ClassForm(FlaskForm):
    name = StringField(
        "Class name", validators=[DataRequired(message="Give the class a name."), Length(max=120)]
    )
    submit = SubmitField("Create class")


class JoinClassForm(FlaskForm):
    code = StringField(
        "Join code",
        validators=[DataRequired(message="Type the code."), Length(max=32)],
        description="Your instructor gives you this code.",
    )
    submit = SubmitField("Join class")


class ResolveReportForm(FlaskForm):
    action = SelectField(
        "Action",
        choices=options(
            ("fixed", "Fixed (I edited the question)"),
            ("retire", "Retire the question"),
            ("dismiss", "Dismiss (nothing to change)"),
        ),
    )
    reply = TextAreaField("Reply to the learner", validators=[Length(max=2000)])
    report_id = HiddenField()
    submit = SubmitField("Close report")
