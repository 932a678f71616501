"""Item lint: the item-writing rules of LEARNING.md sections 5-7 that a program can check.

``lint(specs)`` returns one ``Finding`` per broken rule: an *error* is a defect the bank must
not ship (``flask questions lint`` exits 1 on any), a *warning* asks an editor to look. Rules
are kept narrow on purpose (whole words, exact markers), so that a finding is worth reading.
Group rules (the correct option longest too often, true/false keys one way) look at a topic
of the bank, or at a whole file when a file is linted before import.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from sinorus_learn.domain import qtypes
from sinorus_learn.domain.qtypes.explain import (
    MAX_POINTS,
    MIN_POINTS,
    MODEL_MAX_WORDS,
    ExplainAnswer,
    word_count,
)
from sinorus_learn.domain.questions import LEVELS, QuestionSpec

Level = Literal["error", "warning"]
Scope = Literal["topic", "file"]

# rule id -> (level, what it checks); group rules name the group in the finding's key.
RULES: dict[str, tuple[Level, str]] = {
    "longest-correct": ("warning", "the correct option is strictly the longest"),
    "longest-correct-share": (
        "error",
        "more than 35% of a topic's (or file's) single-answer choices have the longest key",
    ),
    "answer-in-stem": ("error", "the stem contains the answer's words and no distractor"),
    "key-figure-in-stem": ("warning", "the stem prints the key's figure (perhaps as another fact)"),
    "doubled-word": ("error", "a word or phrase is written twice in a row"),
    "all-none-above": ("error", "an option reads 'all of the above' or 'none of the above'"),
    "mixed-options": (
        "warning",
        "options of mixed kinds (numbers beside words, dates beside names)",
    ),
    "unsorted-options": ("error", "number or date options not in ascending order"),
    "true-false-balance": ("error", "a template's or topic's true/false keys are >65% one way"),
    "figure-in-parentheses": (
        "error",
        "a figure in parentheses in the stem (the estimate notation)",
    ),
    "unbolded-not": ("error", "a NOT in the stem that is not bold (**NOT**)"),
    "empty-explanation": ("error", "the explanation is empty"),
    "long-explanation": ("error", "the explanation has more than 60 words of its own text"),
    "missing-objective": ("error", "the question names no objective"),
    "unknown-objective": ("error", "an objective is not one of its topic's lesson"),
    "missing-level": ("error", "the question has no skill level"),
    "identical-siblings": ("error", "two questions on the same fact have the same prompt"),
    "internal-note": ("error", "an internal note or row key is shown to the learner"),
    "hint-gives-key": ("error", "the hint contains the answer's words or figure"),
    "explain-checklist": ("error", "an explain question with fewer than 2 checklist points"),
    "long-model-answer": ("error", "an explain question's model answer has more than 120 words"),
}

LONGEST_SHARE_LIMIT = 0.35
TRUE_FALSE_LIMIT = 0.65
MIN_GROUP = 4  # a share over fewer items says more about chance than about the writer
EXPLANATION_WORDS = 60


@dataclass(frozen=True)
class Finding:
    """One broken rule: which question (or group), which rule, how bad, and what to fix."""

    key: str  # question key, or "topic <slug>" / "template <id>" / "file" for group rules
    rule: str
    level: Level
    message: str
    line: int | None = None  # the question's first line in a linted file, when known

    @property
    def where(self) -> str:
        """Return where to look: the file line when known, else the key."""
        return f"line {self.line}" if self.line is not None else self.key

    def as_line(self) -> str:
        """Return the finding as one line of CLI output."""
        return f"{self.where}  {self.rule}  {self.level}  {self.message}"


def lint(
    specs: Iterable[QuestionSpec],
    *,
    scope: Scope = "topic",
    lines: Mapping[str, int] | None = None,
    objectives: Mapping[str, Collection[str]] | None = None,
) -> list[Finding]:
    """Check every question, then the groups; ``objectives`` (topic -> ids) enables the
    unknown-objective rule, ``lines`` (key -> line) places findings in a file."""
    specs = list(specs)
    lines = lines or {}
    findings: list[Finding] = []
    for spec in specs:
        for rule, message in _item_problems(spec, objectives):
            findings.append(Finding(spec.key, rule, RULES[rule][0], message, lines.get(spec.key)))
    for spec, message in _identical_siblings(specs):
        rule = "identical-siblings"
        findings.append(Finding(spec.key, rule, RULES[rule][0], message, lines.get(spec.key)))
    for group, rule, message in _group_problems(specs, scope):
        findings.append(Finding(group, rule, RULES[rule][0], message))
    return findings


def error_count(findings: Iterable[Finding]) -> int:
    """Count the findings at error level."""
    return sum(1 for finding in findings if finding.level == "error")


# ---------------------------------------------------------------- per question


def _item_problems(
    spec: QuestionSpec, objectives: Mapping[str, Collection[str]] | None
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if correct_is_longest(spec):
        problems.append(("longest-correct", "the correct option is the longest; vary lengths"))
    problems += _answer_in_stem(spec)
    problems += [("doubled-word", f"doubled words {d!r}") for d in _doubled(spec)]
    problems += _above_options(spec)
    problems += _option_kinds(spec)
    problems += _figures_in_parentheses(spec.prompt)
    if _unbolded_not(spec.prompt):
        problems.append(("unbolded-not", "write the negation in bold: **NOT**"))
    problems += _explanation_problems(spec.explanation)
    problems += _classification(spec, objectives)
    problems += [("internal-note", note) for note in _internal_notes(spec)]
    problems += [("hint-gives-key", message) for message in hint_problems(spec)]
    problems += _explain_problems(spec)
    return problems


def _explain_problems(spec: QuestionSpec) -> list[tuple[str, str]]:
    """An explain question needs a checklist to self-assess against and a model answer short
    enough to compare at a glance."""
    answer = spec.answer
    if not isinstance(answer, ExplainAnswer):
        return []
    problems: list[tuple[str, str]] = []
    if len(answer.points) < MIN_POINTS:
        problems.append(
            (
                "explain-checklist",
                f"{len(answer.points)} checklist point(s): write {MIN_POINTS} to {MAX_POINTS} "
                "points from the report, each with its evidence",
            )
        )
    words = word_count(answer.model)
    if words > MODEL_MAX_WORDS:
        problems.append(
            ("long-model-answer", f"{words} words in the model answer (at most {MODEL_MAX_WORDS})")
        )
    return problems


def _visible_texts(spec: QuestionSpec) -> list[str]:
    """Return every text a learner may read: stem, options, explanation, option feedback."""
    texts = [spec.prompt, spec.explanation, *(spec.choices or ())]
    texts += [text for _, text in spec.option_feedback]
    texts.append(spec.hint)
    texts += qtypes.get(spec.type).shown_texts(spec.answer)
    return [text for text in texts if text]


# -- option kinds

_MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
# month word -> its number, full names and the usual abbreviations
_MONTHS: dict[str, int] = (
    {name: n for n, name in enumerate(_MONTH_NAMES, start=1)}
    | {name[:3]: n for n, name in enumerate(_MONTH_NAMES, start=1)}
    | {"sept": 9}
)
_DATE_WORDS = frozenset(_MONTHS) | frozenset(
    ("early", "late", "mid", "the", "first", "second", "half", "of", "in", "by", "end", "start")
    + ("beginning", "spring", "summer", "autumn", "fall", "winter", "between", "and", "to")
    + ("from", "since", "before", "after", "around", "about")
)
_YEAR_RE = re.compile(r"^(1[6-9]\d\d|20\d\d)$")
_YEAR_IN_RE = re.compile(r"\b(1[6-9]\d\d|20\d\d)(?:\s*[-–]\s*\d{2,4})?\b")
_NUMBER_RE = re.compile(
    r"^(?:(?:about|around|nearly|almost|over|under|more than|less than|at least|some)\s+)?"
    r"[~≈<>+−-]?\s*[$€£]?\s*\d[\d,]*(?:\.\d+)?\s*%?(?:\s+(?:million|billion|thousand))?"
    r"(?:\s*(?:[-–]|to|and)\s*[$€£]?\d[\d,]*(?:\.\d+)?\s*%?)?"
    r"(?:\s+[a-z%][a-z%.-]*){0,3}$"
)


def option_kind(option: str) -> str:
    """Classify an option as "year", "date", "number" or "text" (for parallel options)."""
    text = option.strip().rstrip(".")
    if _YEAR_RE.match(text):
        return "year"  # a bare year sits with dates and with numbers alike
    if _is_date(text):
        return "date"
    if _NUMBER_RE.match(text):
        return "number"
    return "text"


def _is_date(text: str) -> bool:
    """Tell a date or period ("June 4, 1989", "the first half of 2006") from other text."""
    without_years = _YEAR_IN_RE.sub(" ", text)
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", without_years)]
    if not (_YEAR_IN_RE.search(text) or any(w in _MONTH_NAMES for w in words)):
        return False
    if any(w not in _DATE_WORDS for w in words) or re.search(r"\d\.\d", text):
        return False
    return not re.search(r"\d{3,}", without_years)  # a day of the month, never another figure


def _option_kinds(spec: QuestionSpec) -> list[tuple[str, str]]:
    """Check that options are of one kind and, when figures or dates, ascending."""
    if not qtypes.get(spec.type).options_shown or not spec.choices:
        return []
    options = spec.choices
    kinds = [option_kind(option) for option in options]
    named = set(kinds) - {"year"}
    if len(named) > 1:
        shown = ", ".join(f"{o!r} ({k})" for o, k in zip(options, kinds, strict=True))
        return [("mixed-options", f"options of mixed kinds: {shown}")]
    if "text" in named:
        return []
    order = [_sort_value(option) for option in options]
    if order != sorted(order):
        return [("unsorted-options", "put number and date options in ascending order")]
    return []


def _sort_value(option: str) -> tuple[float, float]:
    """Return a sortable value for a number, year or date option."""
    text = option.lower()
    year = _YEAR_IN_RE.search(text)
    if year and option_kind(option) in ("year", "date"):
        month = next((n for word, n in _MONTHS.items() if re.search(rf"\b{word}\b", text)), 0)
        if not month and re.search(r"\b(?:second half|late|end)\b", text):
            month = 9
        return (float(year.group(1)), float(month))
    number = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    value = float(number.group().replace(",", "")) if number else 0.0
    scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
    value *= next((factor for word, factor in scale.items() if word in text), 1.0)
    return (-value if re.match(r"^\s*[−-]", option) else value, 0.0)


def _is_figure_set(options: Sequence[str]) -> bool:
    return all(option_kind(option) != "text" for option in options)


# -- longest correct option


def longest_applies(spec: QuestionSpec) -> bool:
    """Tell whether the longest-option cue can exist: single answer, options in words."""
    return (
        qtypes.get(spec.type).one_option_right
        and bool(spec.choices)
        and not _is_figure_set(spec.choices or ())
    )


def correct_is_longest(spec: QuestionSpec) -> bool:
    if not longest_applies(spec):
        return False
    key = str(spec.answer).strip()
    others = [len(c.strip()) for c in spec.choices or () if c != spec.answer]
    return bool(others) and len(key) > max(others)


# -- the answer inside the stem

_REFERENCE_RE = re.compile(r"\b(?:table|footnote|figure|section|chapter)s?\s+\d+", re.IGNORECASE)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def _normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).lower().replace("**", "").split())


def _contains(stem: str, phrase: str) -> bool:
    """Tell whether ``phrase`` occurs in ``stem`` as whole words (case and quotes ignored)."""
    phrase = _normalise(phrase)
    if not phrase or (len(phrase) < 3 and not phrase.isdigit()):
        return False
    # Hyphens bound the phrase too: 2006 is not given away by "1999-2006" or "SA-2006".
    pattern = rf"(?<![\w.,-]){re.escape(phrase)}(?![\w-]|[.,]\d)"
    return re.search(pattern, _normalise(stem)) is not None


def _answer_in_stem(spec: QuestionSpec) -> list[tuple[str, str]]:
    stem = _REFERENCE_RE.sub(" ", spec.prompt)  # "Table 1" does not give away an answer of 1
    keys, others = qtypes.get(spec.type).stem_cues(spec.choices, spec.answer)
    found = [key for key in keys if _contains(stem, key)]
    if not found or any(_contains(stem, other) for other in others):
        return []  # a stem naming the key beside a distractor ("A or B?") gives nothing away
    if re.search(r"[^\W\d_]", found[0]):
        return [("answer-in-stem", f"the stem contains the answer {found[0]!r}")]
    # A bare figure may be another fact that happens to match ("the 2005 order, delivered 2005").
    return [
        (
            "key-figure-in-stem",
            f"the stem prints {found[0]!r}, the key: check it gives nothing away",
        )
    ]


def hint_problems(spec: QuestionSpec) -> list[str]:
    """Say where the hint gives the key away: it prints a keyed option, an accepted answer or
    the key's figure (whole words, as the stem rule reads; "Table 3" names no figure)."""
    if not spec.hint.strip():
        return []
    hint = _REFERENCE_RE.sub(" ", spec.hint)
    keys, _ = qtypes.get(spec.type).stem_cues(spec.choices, spec.answer)
    return [f"the hint contains the answer {key!r}" for key in keys if _contains(hint, key)][:1]


# -- words and markers

_DOUBLED_RE = re.compile(r"\b([^\W\d_]+(?:\s+[^\W\d_]+){0,2})\s+\1\b", re.IGNORECASE)
_DOUBLING_ALLOWED = frozenset({"that", "had"})  # "that that", "had had" can be right


def _doubled(spec: QuestionSpec) -> list[str]:
    found: list[str] = []
    for text in _visible_texts(spec):
        for match in _DOUBLED_RE.finditer(text.replace("**", "")):
            if match.group(1).lower() not in _DOUBLING_ALLOWED:
                found.append(match.group(0))
    return list(dict.fromkeys(found))


_ABOVE_RE = re.compile(r"\b(?:all|none|both|neither) of the above\b", re.IGNORECASE)


def _above_options(spec: QuestionSpec) -> list[tuple[str, str]]:
    options = [*(spec.choices or ())]
    return [
        ("all-none-above", f"option {option!r}: write a real option instead")
        for option in options
        if _ABOVE_RE.search(option)
    ]


_FIGURE_IN_PARENS_RE = re.compile(
    r"\(\s*(?:about\s+|c\.\s*)?[$€£]?\d[\d,]*(?:\.\d+)?(?:\s*[-–]\s*\d[\d,]*(?:\.\d+)?)?\s*%?\s*\)"
)


_NOTATION_WORDS = ("parenthes", "notation", "printed as", "prints", "written as", "shown as")


def _figures_in_parentheses(stem: str) -> list[tuple[str, str]]:
    if any(word in stem.lower() for word in _NOTATION_WORDS):
        return []  # a stem about the notation itself ("printed as (4)") names it on purpose
    return [
        (
            "figure-in-parentheses",
            f"{match.group()} reads as the report's estimate notation; say 'an estimated …' "
            "or drop the parentheses",
        )
        for match in _FIGURE_IN_PARENS_RE.finditer(stem)
    ]


def _unbolded_not(stem: str) -> bool:
    """Tell whether an all-caps NOT stands outside a ``**bold**`` span of its line."""
    for line in stem.splitlines():
        for match in re.finditer(r"\bNOT\b", line):
            if line[: match.start()].count("**") % 2 == 0:
                return True
    return False


# -- explanation

_QUOTED_RE = re.compile(r"“[^”]*”|\"[^\"]*\"|(?<![\w’'])['‘][^'’]+['’](?![\w])|«[^»]*»")


def own_words(text: str) -> int:
    """Count the words of ``text`` outside quotations (the project's own words)."""
    return len(re.findall(r"[^\W_][\w'’.,%/-]*", _QUOTED_RE.sub(" ", text)))


def _explanation_problems(explanation: str) -> list[tuple[str, str]]:
    if not explanation.strip():
        return [("empty-explanation", "say in a sentence or two why the key is right")]
    words = own_words(explanation)
    if words > EXPLANATION_WORDS:
        return [
            (
                "long-explanation",
                f"{words} words of own text (at most {EXPLANATION_WORDS}); citations belong "
                "in the source and evidence",
            )
        ]
    return []


# -- classification


def _classification(
    spec: QuestionSpec, objectives: Mapping[str, Collection[str]] | None
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not spec.objectives:
        problems.append(("missing-objective", "name at least one objective of its lesson"))
    elif objectives is not None:
        known = objectives.get(spec.topic, ())
        problems += [
            ("unknown-objective", f"{o!r} is not an objective of topic {spec.topic!r}")
            for o in spec.objectives
            if o not in known
        ]
    if spec.level not in LEVELS:
        problems.append(("missing-level", f"give a level: one of {', '.join(LEVELS)}"))
    return problems


# -- internal notes

_INTERNAL_PHRASES = ("derived from the text of the report",)
_ROW_KEY_RE = re.compile(r"[^\s|]\|[^\s|]")
_TODO_RE = re.compile(r"\b(?:TODO|FIXME|XXX)\b")


def _internal_notes(spec: QuestionSpec) -> list[str]:
    notes: list[str] = []
    for text in _visible_texts(spec):
        lowered = text.lower()
        notes += [f"internal note {p!r}" for p in _INTERNAL_PHRASES if p in lowered]
        notes += [
            f"internal row key in {_excerpt(text, m.start())!r}" for m in _ROW_KEY_RE.finditer(text)
        ]
        notes += [f"editor's note {m.group()!r}" for m in _TODO_RE.finditer(text)]
    return list(dict.fromkeys(notes))


def _excerpt(text: str, at: int, width: int = 30) -> str:
    start = max(0, at - width)
    return (
        ("…" if start else "")
        + text[start : at + width].strip()
        + ("…" if at + width < len(text) else "")
    )


# ---------------------------------------------------------------- across questions


def _identical_siblings(specs: Sequence[QuestionSpec]) -> list[tuple[QuestionSpec, str]]:
    """Return each later question that repeats an earlier sibling's prompt."""
    first: dict[tuple[str, str], QuestionSpec] = {}
    found: list[tuple[QuestionSpec, str]] = []
    for spec in specs:
        mark = (spec.fact_id, _normalise(spec.prompt))
        earlier = first.setdefault(mark, spec)
        if earlier is not spec:
            found.append(
                (spec, f"same prompt as sibling {earlier.key} (fact {spec.fact_id}); reword one")
            )
    return found


def _group_problems(specs: Sequence[QuestionSpec], scope: Scope) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    longest: dict[str, list[bool]] = defaultdict(list)
    keys: dict[str, list[bool]] = defaultdict(list)
    for spec in specs:
        group = "file" if scope == "file" else f"topic {spec.topic}"
        if longest_applies(spec):
            longest[group].append(correct_is_longest(spec))
        if isinstance(spec.answer, bool):  # a true/false key
            keys[f"template {spec.template}" if spec.template else group].append(spec.answer)
    for group, flags in longest.items():
        share = sum(flags) / len(flags)
        if len(flags) >= MIN_GROUP and share > LONGEST_SHARE_LIMIT:
            message = (
                f"{sum(flags)} of {len(flags)} single-answer choice questions ({share:.0%}) have "
                f"the longest option as key; at most {LONGEST_SHARE_LIMIT:.0%}"
            )
            problems.append((group, "longest-correct-share", message))
    for group, answers in keys.items():
        true = sum(answers)
        side, count = ("True", true) if true * 2 >= len(answers) else ("False", len(answers) - true)
        if len(answers) >= MIN_GROUP and count / len(answers) > TRUE_FALSE_LIMIT:
            message = (
                f"{count} of {len(answers)} true/false keys are {side} "
                f"({count / len(answers):.0%}); at most {TRUE_FALSE_LIMIT:.0%} one way"
            )
            problems.append((group, "true-false-balance", message))
    return problems


# ---------------------------------------------------------------- files


def json_item_lines(text: str) -> list[int]:
    """Return the 1-based line on which each top-level item of a JSON list starts."""
    decoder = json.JSONDecoder()
    starts: list[int] = []
    at = text.find("[")
    if at < 0:
        return starts
    at += 1
    while True:
        while at < len(text) and text[at] in " \t\r\n,":
            at += 1
        if at >= len(text) or text[at] == "]":
            return starts
        starts.append(text.count("\n", 0, at) + 1)
        try:
            _, at = decoder.raw_decode(text, at)
        except ValueError:
            return starts
