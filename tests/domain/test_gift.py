"""GIFT import and export: features, errors with line numbers, round trips, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinorus_learn.domain.formats import (
    FormatError,
    GiftError,
    dump_gift,
    export_gift,
    parse_gift,
)
from sinorus_learn.domain.qtypes.explain import ChecklistPoint, ExplainAnswer
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec, Source


def one(text: str, **kwargs: str) -> QuestionSpec:
    """Parse text holding exactly one question and return its spec."""
    result = parse_gift(text, **kwargs)
    assert len(result.questions) == 1, result
    return result.questions[0].spec


def spec(qtype: str, choices: tuple[str, ...] | None, answer: object, **kw: object) -> QuestionSpec:
    fields: dict[str, object] = {
        "key": f"k-{qtype}",
        "type": qtype,
        "prompt": f"A {qtype} question: {{which}} one = #1?",
        "choices": choices,
        "answer": answer,
        "explanation": "Because the report says so.\n\nSee: the Energy section ~ p. 4.",
        "topic": "energy",
        "source": Source(section="energy"),
    }
    fields.update(kw)
    return QuestionSpec(**fields)  # type: ignore[arg-type]


ALL_GIFT_TYPES = [
    spec("multiple_choice", ("1999", "2004", "2006"), "2004"),
    spec("multiple_select", ("Oil", "Timber", "Arms", "Grain"), ("Oil", "Arms")),
    spec("multiple_select", ("Oil", "Timber"), ("Timber",)),
    spec("true_false", None, True),
    spec("true_false", None, False),
    spec("numeric", None, NumericAnswer(value=14.5, tolerance=0.5)),
    spec("numeric", None, NumericAnswer.from_range(3, 6)),
    spec("numeric", None, NumericAnswer(value=-2.25)),
    spec("short_text", None, ("SIPRI", "Stockholm International Peace Research Institute")),
    spec(
        "matching",
        ("Air force", "Navy", "Army"),
        (("Su-27", "Air force"), ("Sovremenny", "Navy"), ("Kilo", "Navy")),
        topic="military",
    ),
]


# ---------------------------------------------------------------- question types


def test_multiple_choice_with_title_feedback_and_general_feedback() -> None:
    q = one(
        "::Oil 2004::What share of China's oil imports came from Russia in 2004?{\n"
        "  =10%#Right.\n  ~5%#Too low.\n  ~20%\n  ####[markdown]See the **Energy** table.\n}"
    )
    assert q.key == "import:oil-2004"
    assert q.type == "multiple_choice"
    assert q.choices == ("10%", "5%", "20%")
    assert q.answer == "10%"
    assert q.explanation == "See the **Energy** table.\n\n- 10%: Right."
    assert q.option_feedback == (("5%", "Too low."),)  # shown to whoever picks 5%
    assert q.topic == "overview" and q.source.section == "overview"


def test_weighted_answers_make_a_multiple_select() -> None:
    q = one("Which are energy goods?{~%50%oil ~%50%gas ~%-100%arms}")
    assert q.type == "multiple_select"
    assert q.answer == ("oil", "gas")


def test_one_equals_with_partial_credit_stays_multiple_choice() -> None:
    q = one("Pick one.{~wrong ~%50%half =full}")
    assert (q.type, q.answer) == ("multiple_choice", "full")
    assert "gift:partial-credit" in q.tags


@pytest.mark.parametrize(
    ("block", "value"),
    [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False), ("{ true }", True)],
)
def test_true_false(block: str, value: bool) -> None:
    q = one("The SCO was founded in 2001." + block)
    assert q.type == "true_false" and q.answer is value


def test_true_false_feedback_goes_to_the_explanation() -> None:
    q = one("Grant is buried here.{FALSE#Said true: wrong.#Said false: right.####General.}")
    assert q.explanation == "General.\n\n- True: Said true: wrong.\n- False: Said false: right."


def test_short_answer_keeps_wildcards_and_drops_partial_credit() -> None:
    q = one("Which animal?{=Frog =frog* =%50%Cat =%0%*#No.}")
    assert q.type == "short_text"
    assert q.answer == ("Frog", "frog*")
    assert {"gift:wildcard", "gift:partial-credit"} <= set(q.tags)
    assert "- Cat (50%)" not in q.explanation and "- *: No." in q.explanation


def test_short_answer_without_equals() -> None:
    assert one("The word for 1?{One}").answer == ("One",)


@pytest.mark.parametrize(
    ("block", "value", "tolerance"),
    [
        ("{#1822}", 1822, 0),
        ("{#-1}", -1, 0),
        ("{#3.1415:0.0005}", 3.1415, 0.0005),
        ("{#1..3}", 2, 1),
        ("{#3.141..3.142}", 3.1415, 0.0005),
        ("{#1e3:1.5e1}", 1000, 15),
        ("{#\n=%50%1822:2#Close.\n=1822:0#Yes.\n~#No.}", 1822, 0),
        ("{#3:2~#Completely wrong}", 3, 2),
    ],
)
def test_numeric(block: str, value: float, tolerance: float) -> None:
    q = one("When?" + block)
    assert q.type == "numeric"
    assert q.answer == NumericAnswer(value=value, tolerance=tolerance)


def test_matching_with_a_distractor() -> None:
    q = one("Match.{\n =Su-27 -> Air force\n =[html]Kilo -> Navy\n = -> Army\n}")
    assert q.type == "matching"
    assert q.answer == (("Su-27", "Air force"), ("Kilo", "Navy"))
    assert q.choices == ("Air force", "Navy", "Army")


def test_escapes_and_newlines() -> None:
    q = one("::a\\:b::Is 1 \\= 1 \\{really\\} \\#1\\~?\\nYes\\\\no{=a\\=b\\#c}")
    assert q.key == "import:a-b"
    assert q.prompt == "Is 1 = 1 {really} #1~?\nYes\\no"
    assert q.answer == ("a=b#c",)


def test_embedded_answer_leaves_a_blank() -> None:
    q = one("Grant is {~buried =entombed} in Grant's tomb.")
    assert q.prompt == "Grant is _____ in Grant's tomb."


def test_html_format_is_tagged() -> None:
    q = one("::t::[html]<p>Is it?</p>{T}")
    assert q.prompt == "<p>Is it?</p>" and "gift:html" in q.tags


def test_comments_and_comment_tags() -> None:
    text = "// heading\n// [tag:energy-check] [tag:oil]\nIs oil exported?\n// inside\n{T}\n"
    q = one(text)
    assert q.prompt == "Is oil exported?"
    assert q.tags == ("energy-check", "oil")


# ---------------------------------------------------------------- categories, keys, skipping


def test_category_maps_to_a_topic_by_slug_or_title() -> None:
    text = (
        "$CATEGORY: $course$/top/Energy\n\nA{T}\n\n"
        "$CATEGORY: sinorus/sco\n\nB{T}\n\n"
        "$CATEGORY: shanghai cooperation organization\n\nC{T}\n\n"
        "$CATEGORY: Something else\n\nD{T}\n"
    )
    result = parse_gift(text, default_topic="economics")
    topics = [(q.spec.topic, q.category) for q in result.questions]
    assert topics == [
        ("energy", "$course$/top/Energy"),
        ("sco", "sinorus/sco"),
        ("sco", "shanghai cooperation organization"),
        ("economics", "Something else"),
    ]
    assert "category:Something else" in result.questions[3].spec.tags


def test_keys_are_stable_and_unique() -> None:
    text = "::Same::A?{T}\n\n::Same::B?{F}\n\nNo title?{T}\n\nNo title?{F}\n"
    first = [q.spec.key for q in parse_gift(text).questions]
    assert first == [q.spec.key for q in parse_gift(text).questions]
    assert first[:2] == ["import:same", "import:same-2"]
    assert first[2].startswith("import:") and first[3] == first[2] + "-2"


def test_description_and_empty_category_are_skipped_by_name_and_an_essay_is_explain() -> None:
    text = (
        "$CATEGORY: empty\n\n$CATEGORY: sinorus/energy\n\n"
        "::Essay one::Discuss the SCO.{\n####The SCO keeps Central Asia for its members.\n}\n\n"
        "Read the next questions carefully.\n\n"
        "::Real::Is it?{T}\n\n"
        "$CATEGORY: trailing\n"
    )
    result = parse_gift(text)
    assert [q.spec.key for q in result.questions] == ["import:essay-one", "import:real"]
    essay = result.questions[0].spec
    assert (essay.type, essay.topic, essay.explanation) == ("explain", "energy", "")
    assert essay.answer == ExplainAnswer(model="The SCO keeps Central Asia for its members.")
    assert [(s.name, s.kind, s.line) for s in result.skipped] == [
        ("empty", "category", 1),
        ("Read the next questions carefully.", "description", 9),
        ("trailing", "category", 13),
    ]


def test_explain_exports_as_an_essay_with_its_model_answer_and_loses_its_points() -> None:
    spec = QuestionSpec(
        key="k:explain",
        type="explain",
        prompt="Why did trade grow?",
        choices=None,
        answer=ExplainAnswer(
            model="Energy ties.", points=(ChecklistPoint("energy"), ChecklistPoint("arms"))
        ),
        explanation="Not in GIFT.",
        topic="economics",
        source=Source(section="economics"),
    )
    text = export_gift([spec]).text
    assert "Why did trade grow?{\n\t####[markdown]Energy ties.\n}" in text
    (back,) = parse_gift(text).questions
    assert back.spec.type == "explain"
    assert back.spec.answer == ExplainAnswer(model="Energy ties.")  # the points are lost


def test_empty_file() -> None:
    assert parse_gift("") == parse_gift("// only a comment\n\n\n")
    assert parse_gift("").questions == () and parse_gift("").skipped == ()


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Q1{T}\n\nQ2 {\n=a\n~b\n", 5, "expected '}' to close the answer block opened on line 3"),
        ("::Title\nIs it?{T}", 1, "expected '::' to close the question title"),
        ("Q{T}\n\n// c\nQ2 is } odd{T}", 4, "unexpected '}' outside an answer block"),
        ("Q{T}\nQ2{F}", 2, "expected a blank line before the next question"),
        ("Q{\n=a\n~%150%b\n}", 3, "expected a weight from -100 to 100"),
        ("Q{\n=a\n~%abc%b\n}", 3, "expected a weight from -100 to 100"),
        ("Q{\n~a\n~b\n}", 2, "expected a correct answer"),
        ("Q{\n~a\n=\n}", 3, "expected answer text after '='"),
        ("Q{#\n=1822:0\n=abc\n}", 3, "expected a number such as 5, 5:0.5 or 1..3"),
        ("Q{#5..1}", 1, "expected the low end of the range first"),
        ("Q{#5:-1}", 1, "expected a tolerance of zero or more"),
        ("Q{#1e999}", 1, "expected a number"),
        ("Q{#=%50%5}", 1, "expected an answer worth 100%"),
        ("Q{\n=Canada -> Ottawa\n=Italy\n}", 3, "expected 'question -> answer'"),
        ("Q{=a -> b}", 1, "at least two pairs are needed"),
        ("Q{=a ~a}", 1, "choices must be distinct"),
        ("\n\n{T}", 3, "expected the question text before the answer block"),
        ("Q{\n x =a\n}", 2, "expected '=' or '~' to start an answer"),
        ("Q{=%50%a =%0%b}", 1, "expected at least one answer worth 100%"),
        ("Q {a { b}", 1, "expected '}' to close the answer block opened on line 1"),
    ],
)
def test_errors_name_the_line_and_what_was_expected(text: str, line: int, message: str) -> None:
    with pytest.raises(GiftError) as info:
        parse_gift(text)
    assert info.value.line == line
    assert message in info.value.message
    assert str(info.value).startswith(f"line {line}: ")
    assert isinstance(info.value, FormatError) and isinstance(info.value, ValueError)


GIFT_ALPHABET = st.sampled_from(
    list("ab1 \n\t\r:=~#{}\\%->[]./*TF$") + ["::", "//", "####", "\n\n"]
)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(GIFT_ALPHABET, max_size=60).map("".join))
def test_any_text_gives_a_result_or_a_gift_error(text: str) -> None:
    try:
        result = parse_gift(text)
    except GiftError as exc:
        assert exc.line is not None and 1 <= exc.line <= text.count("\n") + 1
        return
    for q in result.questions:
        assert q.spec.key.startswith("import:")


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_any_unicode_gives_a_result_or_a_gift_error(text: str) -> None:
    try:
        parse_gift(text)
    except GiftError as exc:
        assert exc.line is not None and exc.line >= 1


# ---------------------------------------------------------------- export and round trip


def test_dump_writes_categories_escapes_and_feedback() -> None:
    text = dump_gift(ALL_GIFT_TYPES)
    assert text.startswith("$CATEGORY: sinorus/energy\n\n::k-multiple_choice::[markdown]")
    assert "$CATEGORY: sinorus/military" in text
    assert "question\\: \\{which\\} one \\= \\#1?{" in text
    assert (
        "####[markdown]Because the report says so.\\n\\nSee\\: the Energy section \\~ p. 4." in text
    )
    assert "~%50%Oil" in text and "~%-100%Timber" in text
    assert "{#\n\t=14.5:0.5\n" in text and "=4.5:1.5" in text
    assert "\t= -> Army\n" in text  # a right-hand option no pair uses
    assert "\t=Kilo -> Navy\n" in text


@pytest.mark.parametrize("original", ALL_GIFT_TYPES, ids=lambda s: s.type)
def test_round_trip(original: QuestionSpec) -> None:
    back = one(dump_gift([original]))
    assert (back.type, back.prompt, back.answer) == (
        original.type,
        original.prompt,
        original.answer,
    )
    assert back.choices == original.choices
    assert back.explanation == original.explanation
    assert back.topic == original.topic


def test_round_trip_matching_distractor() -> None:
    original = spec(
        "matching", ("Navy", "Army", "Air force"), (("Su-27", "Air force"), ("Kilo", "Navy"))
    )
    back = one(dump_gift([original]))
    assert back.answer == original.answer
    assert set(back.choices or ()) == set(original.choices or ())  # distractors follow the pairs


def test_ordering_is_reported_not_exported() -> None:
    ordering = spec("ordering", ("b", "a"), ("a", "b"), key="chrono-1")
    export = export_gift([ordering, ALL_GIFT_TYPES[0]])
    assert export.skipped == ("chrono-1",)
    assert "// not exported, GIFT has no ordering questions: chrono-1" in export.text
    assert [q.spec.type for q in parse_gift(export.text).questions] == ["multiple_choice"]
    assert export_gift([]).text == ""


SAFE_TEXT = (
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\u2028\u2029"
        )
        | st.sampled_from(list("~=#{}:\\\n")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(
        # GIFT cannot say: a leading [format] or %weight%, or '->' inside a choice, or private-use
        # characters (the parser's placeholders).
        lambda s: (
            bool(s)
            and not s.startswith(("[", "%"))
            and "->" not in s
            and not any("\ue000" <= ch <= "\ue0ff" for ch in s)
            and s == s.strip()
            and "\n" not in s[:1] + s[-1:]
        )
    )
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    prompt=SAFE_TEXT,
    choices=st.lists(SAFE_TEXT, min_size=2, max_size=5, unique=True),
    data=st.data(),
)
def test_round_trip_of_any_text(prompt: str, choices: list[str], data: st.DataObject) -> None:
    correct = data.draw(st.sampled_from(choices))
    picked = tuple(c for c in choices if c == correct or data.draw(st.booleans()))
    specs = [
        spec("multiple_choice", tuple(choices), correct, prompt=prompt, key="a"),
        spec("multiple_select", tuple(choices), picked, prompt=prompt, key="b"),
        spec("short_text", None, tuple(choices), prompt=prompt, key="c"),
        spec(
            "matching",
            tuple(choices),
            tuple(zip(choices, choices, strict=True)),
            prompt=prompt,
            key="d",
        ),
    ]
    backs = [q.spec for q in parse_gift(dump_gift(specs)).questions]
    for original, back in zip(specs, backs, strict=True):
        assert (back.type, back.prompt, back.choices, back.answer) == (
            original.type,
            original.prompt,
            original.choices,
            original.answer,
        )


# ---------------------------------------------------------------- classification annotations

CLASSIFIED = spec(
    "multiple_choice",
    ("Rising Chinese demand", "Falling prices", "A pipeline opened"),
    "Rising Chinese demand",
    key="energy:why-imports:1",
    level="explain",
    objectives=("energy.chinese-demand", "energy.oil-table"),
    fact="claim:oil-demand",
    given=("crude_oil_imports:2005:share", "timeline:nerchinsk"),
    evidence="China's demand for oil, “the world's second largest”, grew\nquickly",
    option_feedback=(
        ("Falling prices", "Prices rose; the report ties imports to demand."),
        ("A pipeline opened", "No pipeline had opened: crude came by rail.\nSee the table."),
    ),
)


def test_annotations_before_a_question_carry_its_classification() -> None:
    text = (
        "$CATEGORY: sinorus/energy\n\n"
        "// written by hand\n"
        "// @level explain\n"
        "// @objectives energy.deals,  energy.obstacles\n"
        "// @fact claim:pipeline-delay\n"
        "// @given timeline:nerchinsk, crude_oil_imports:2005:share\n"
        '// @evidence the pipeline\'s route, "as yet undecided"\n'
        "::Route:: Why was the pipeline delayed? {=Route disputes ~Money#No: the report says "
        "route. ~Weather}\n"
    )
    result = parse_gift(text)
    item = result.questions[0]
    q = item.spec
    assert q.topic == "energy"
    assert q.level == "explain"
    assert q.objectives == ("energy.deals", "energy.obstacles")
    assert q.fact == "claim:pipeline-delay"
    assert q.given == ("timeline:nerchinsk", "crude_oil_imports:2005:share")
    assert q.evidence == 'the pipeline\'s route, "as yet undecided"'  # commas kept
    assert q.option_feedback == (("Money", "No: the report says route."),)
    assert item.line_of("objectives") == 5 and item.line_of("level") == 4
    assert item.line_of("tags") == item.line == 9


def test_annotations_in_the_category_chunk_apply_to_its_question() -> None:
    q = one("// @level recall\n$CATEGORY: sco\nWhen was the SCO founded?{#2001}\n")
    assert (q.topic, q.level) == ("sco", "recall")


def test_foreign_gift_carries_no_classification() -> None:
    q = one("Is oil exported?{T}")
    assert (q.level, q.objectives, q.fact, q.given, q.evidence) == ("", (), "", (), "")


@pytest.mark.parametrize(
    ("comment", "line", "message"),
    [
        ("// @levle recall", 3, "unknown annotation '@levle'"),
        ("// @level remember", 3, "unknown level 'remember'; expected one of recall, explain"),
        ("// @level", 3, "expected a value after '@level'"),
        ("// @objectives energy.deals,,energy.obstacles", 3, "expected a value after"),
        ("// @level recall\n// @level data", 4, "'@level' given twice (first on line 3)"),
    ],
)
def test_bad_annotations_are_errors_at_their_line(comment: str, line: int, message: str) -> None:
    with pytest.raises(GiftError) as info:
        parse_gift(f"::Fine:: Good? {{T}}\n\n{comment}\n::Q:: Is it? {{T}}\n")
    assert info.value.line == line
    assert message in str(info.value)


def test_classification_and_option_feedback_round_trip() -> None:
    text = dump_gift([CLASSIFIED])
    assert "// @level explain\n// @objectives energy.chinese-demand, energy.oil-table\n" in text
    assert "~Falling prices#Prices rose; the report ties imports to demand." in text
    back = one(text)
    assert back.key == CLASSIFIED.key
    assert (back.level, back.objectives, back.fact, back.given) == (
        CLASSIFIED.level,
        CLASSIFIED.objectives,
        CLASSIFIED.fact,
        CLASSIFIED.given,
    )
    # A comment is one line: the evidence's line break becomes a space (it is compared after
    # normalising whitespace anyway).
    assert back.evidence == " ".join(CLASSIFIED.evidence.split())
    assert back.option_feedback == CLASSIFIED.option_feedback
    assert back.explanation == CLASSIFIED.explanation


def test_multiple_select_option_feedback_round_trips() -> None:
    original = spec(
        "multiple_select",
        ("Oil", "Timber", "Arms"),
        ("Oil", "Arms"),
        option_feedback=(("Timber", "Timber is a Russian export, not an energy good."),),
    )
    back = one(dump_gift([original]))
    assert back.answer == original.answer
    assert back.option_feedback == original.option_feedback


def test_the_documented_example_reads_as_documented() -> None:
    """docs/gift.md's example is what an instructor copies: it must parse as it says."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "gift.md").read_text(encoding="utf-8")
    example = doc.split("```\n$CATEGORY", 1)[1].split("```", 1)[0]
    q = one("$CATEGORY" + example)
    assert (q.key, q.topic, q.level) == ("energy:pipeline-route:1", "energy", "explain")
    assert q.objectives == ("energy.pipeline-route", "energy.obstacles")
    assert q.option_feedback == (("Harbin", "Harbin is not a terminus the report names."),)
