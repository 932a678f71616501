"""Item lint: each rule flags a flawed item and passes a sound one (LEARNING.md sections 5-7)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from sinorus_learn.domain.lint import (
    RULES,
    Finding,
    error_count,
    json_item_lines,
    lint,
    option_kind,
    own_words,
)
from sinorus_learn.domain.qtypes.explain import ChecklistPoint, ExplainAnswer
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec, Source

GOOD_MC = QuestionSpec(
    key="q:mc",
    type="multiple_choice",
    prompt="Which route did Moscow finally favour for the oil pipeline?",
    choices=("Daqing", "Nakhodka", "Skovorodino", "Harbin"),
    answer="Nakhodka",
    explanation="A Pacific terminal lets Russia sell to Japan and Korea, not to China alone.",
    topic="energy",
    source=Source(section="energy"),
    objectives=("energy.pipeline-route",),
    level="explain",
)


def mc(**changes: Any) -> QuestionSpec:
    return replace(GOOD_MC, **changes)


def tf(key: str, answer: bool, **changes: Any) -> QuestionSpec:
    return replace(
        GOOD_MC,
        key=key,
        type="true_false",
        prompt=f"True or false: statement {key}.",
        choices=None,
        answer=answer,
        **changes,
    )


def rules(spec_or_specs: QuestionSpec | list[QuestionSpec], **kwargs: Any) -> set[str]:
    specs = spec_or_specs if isinstance(spec_or_specs, list) else [spec_or_specs]
    return {finding.rule for finding in lint(specs, **kwargs)}


def test_a_sound_item_has_no_findings() -> None:
    assert lint([GOOD_MC]) == []


def test_every_rule_has_a_level_and_a_description() -> None:
    for level, text in RULES.values():
        assert level in ("error", "warning")
        assert text


# ---------------------------------------------------------------- longest correct option


def test_correct_option_strictly_longest_is_a_warning() -> None:
    spec = mc(
        choices=("Daqing", "The Pacific coast at Nakhodka", "Harbin", "Irkutsk"),
        answer="The Pacific coast at Nakhodka",
    )
    [finding] = lint([spec])
    assert (finding.rule, finding.level, finding.key) == ("longest-correct", "warning", "q:mc")


def test_correct_option_tied_for_longest_passes() -> None:
    spec = mc(choices=("Nakhodka", "Skovorod", "Harbin"), answer="Nakhodka")
    assert "longest-correct" not in rules(spec)


def test_longest_rule_ignores_options_that_are_all_figures() -> None:
    spec = mc(prompt="Share in 2005?", choices=("2.1%", "12.77%", "5.8%"), answer="12.77%")
    assert "longest-correct" not in rules(spec)


def _longest(key: str, topic: str = "energy") -> QuestionSpec:
    return mc(key=key, topic=topic, choices=("A short one", "B", "C"), answer="A short one")


def _fair(key: str, topic: str = "energy") -> QuestionSpec:
    return mc(key=key, topic=topic, choices=("A", "Bb", "Ccc"), answer="A")


def test_longest_key_in_over_35_percent_of_a_topic_is_an_error() -> None:
    specs = [_longest("a"), _longest("b"), _fair("c"), _fair("d"), _fair("e")]  # 40%
    group = [f for f in lint(specs) if f.rule == "longest-correct-share"]
    assert [(f.key, f.level) for f in group] == [("topic energy", "error")]
    assert "2 of 5" in group[0].message


def test_longest_key_share_at_35_percent_or_across_topics_passes() -> None:
    specs = [_longest("a"), _fair("b"), _fair("c"), _fair("d")]  # 25%
    specs += [_longest("e", "sco"), _fair("f", "sco"), _fair("g", "sco")]  # too few to judge
    assert "longest-correct-share" not in rules(specs)


def test_a_file_is_one_group_for_the_longest_share() -> None:
    specs = [_longest("a", "energy"), _longest("b", "sco"), _fair("c", "sco"), _fair("d")]
    assert "longest-correct-share" not in rules(specs)
    group = [f for f in lint(specs, scope="file") if f.rule == "longest-correct-share"]
    assert [f.key for f in group] == ["file"]


# ---------------------------------------------------------------- answer in the stem


def test_stem_naming_the_key_alone_is_an_error() -> None:
    spec = mc(prompt="The Nakhodka route ends on the Pacific. Which route did Moscow favour?")
    findings = [f for f in lint([spec]) if f.rule == "answer-in-stem"]
    assert [f.level for f in findings] == ["error"]
    assert "Nakhodka" in findings[0].message


def test_stem_naming_key_and_a_distractor_passes() -> None:
    spec = mc(prompt="Which route did Moscow favour in the end, Daqing or Nakhodka?")
    assert "answer-in-stem" not in rules(spec)


def test_key_as_part_of_another_word_passes() -> None:
    spec = mc(choices=("Iran", "Iraq", "Syria"), answer="Iran", prompt="Which Iranian ally…?")
    assert "answer-in-stem" not in rules(spec)


def test_short_answer_in_stem_is_an_error() -> None:
    spec = replace(
        GOOD_MC,
        type="short_text",
        choices=None,
        answer=("Uzbekistan",),
        prompt="Uzbekistan joined in 2001. Which country joined the Shanghai Five in 2001?",
    )
    assert "answer-in-stem" in rules(spec)
    assert "answer-in-stem" not in rules(replace(spec, prompt="Which country joined in 2001?"))


def test_numeric_key_printed_in_stem_is_a_warning() -> None:
    spec = replace(
        GOOD_MC,
        type="numeric",
        choices=None,
        answer=NumericAnswer(value=2006),
        prompt="In which year did this happen? “In 2006 Putin visits Beijing.”",
    )
    [finding] = lint([spec])
    assert (finding.rule, finding.level) == ("key-figure-in-stem", "warning")


def test_numeric_key_inside_a_range_or_table_reference_passes() -> None:
    spec = replace(
        GOOD_MC,
        type="numeric",
        choices=None,
        answer=NumericAnswer(value=1),
        prompt="In the years 1999-2006, how many rows of Table 1 list the SA-1 order?",
    )
    assert rules(spec) == set()
    spec = replace(spec, answer=NumericAnswer(value=2006))
    assert rules(spec) == set()


# ---------------------------------------------------------------- words


def test_doubled_word_is_an_error() -> None:
    spec = mc(prompt="Which route did the the Kremlin favour?")
    findings = [f for f in lint([spec]) if f.rule == "doubled-word"]
    assert [(f.level, f.message) for f in findings] == [("error", "doubled words 'the the'")]


def test_doubled_phrase_in_the_explanation_is_found() -> None:
    spec = mc(explanation="China imports crude oil from Russia from Russia by rail.")
    assert "doubled-word" in rules(spec)


def test_repeated_words_apart_and_that_that_pass() -> None:
    spec = mc(prompt="Which route, route A or B, did Moscow say that that pipeline takes?")
    assert "doubled-word" not in rules(spec)


def test_all_or_none_of_the_above_is_an_error() -> None:
    spec = mc(choices=("Daqing", "Nakhodka", "None of the above"))
    assert "all-none-above" in rules(spec)
    assert "all-none-above" not in rules(mc(choices=("Daqing", "Nakhodka", "Above the Amur")))


# ---------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("option", "kind"),
    [
        ("2006", "year"),
        ("June 1989", "date"),
        ("June 4, 1989", "date"),
        ("the first half of 2006", "date"),
        ("1996-97", "date"),
        ("1.8 million tons", "number"),
        ("$15.85 billion", "number"),
        ("$60 billion to $80 billion", "number"),
        ("62 percent", "number"),
        ("5.77%", "number"),
        ("Unknown", "text"),
        ("Peace Mission 2005", "text"),
        ("The 1996 Taiwan Strait crisis", "text"),
    ],
)
def test_option_kinds(option: str, kind: str) -> None:
    assert option_kind(option) == kind


def test_numbers_beside_words_are_mixed() -> None:
    spec = mc(choices=("12", "24", "Unknown"), answer="12", prompt="How many were ordered?")
    [finding] = [f for f in lint([spec]) if f.rule == "mixed-options"]
    assert finding.level == "warning"
    assert "'Unknown' (text)" in finding.message


def test_dates_beside_names_are_mixed() -> None:
    spec = mc(choices=("June 1989", "Gorbachev", "May 1989"), answer="June 1989")
    assert "mixed-options" in rules(spec)


def test_years_beside_dates_or_numbers_are_not_mixed() -> None:
    assert "mixed-options" not in rules(mc(choices=("2005", "the first half of 2006")))
    assert "mixed-options" not in rules(mc(choices=("12", "1996", "24")))


def test_numeric_options_out_of_order_are_an_error() -> None:
    spec = mc(choices=("4.36%", "2.93%", "5.77%"), answer="5.77%", prompt="Share in 2003?")
    assert "unsorted-options" in rules(spec)
    assert "unsorted-options" not in rules(replace(spec, choices=("2.93%", "4.36%", "5.77%")))


def test_date_options_sort_by_year_then_month() -> None:
    spec = mc(choices=("June 1989", "April 1989", "March 1990"), answer="June 1989")
    assert "unsorted-options" in rules(spec)
    ordered = ("April 1989", "June 1989", "March 1990")
    assert "unsorted-options" not in rules(replace(spec, choices=ordered))


def test_amounts_sort_by_value_with_their_scale() -> None:
    spec = mc(choices=("$900 million", "$1.2 billion", "$2 billion"), answer="$2 billion")
    assert "unsorted-options" not in rules(spec)
    assert "unsorted-options" in rules(replace(spec, choices=("$1.2 billion", "$900 million")))


def test_word_options_keep_any_order() -> None:
    assert "unsorted-options" not in rules(mc(choices=("Nakhodka", "Daqing", "Harbin")))


# ---------------------------------------------------------------- true/false balance


def test_true_false_topic_more_than_65_percent_one_way_is_an_error() -> None:
    specs = [tf("a", True), tf("b", True), tf("c", True), tf("d", False)]  # 75% True
    [finding] = lint(specs)
    assert (finding.key, finding.rule, finding.level) == (
        "topic energy",
        "true-false-balance",
        "error",
    )
    assert "3 of 4" in finding.message and "True" in finding.message


def test_true_false_balance_within_65_percent_or_too_few_passes() -> None:
    assert lint([tf("a", True), tf("b", False), tf("c", True), tf("d", False)]) == []
    assert lint([tf("a", False), tf("b", False), tf("c", False)]) == []


def test_generated_true_false_is_judged_per_template() -> None:
    specs = [tf(f"g{i}", True, template="arms.delivered") for i in range(4)]
    specs += [tf(f"h{i}", i % 2 == 0) for i in range(4)]  # hand-written, balanced
    [finding] = lint(specs)
    assert finding.key == "template arms.delivered"


# ---------------------------------------------------------------- stem notation


def test_figure_in_parentheses_is_an_error() -> None:
    spec = mc(prompt="How many Su-27s did China order (35) in 1995?")
    [finding] = lint([spec])
    assert (finding.rule, finding.level) == ("figure-in-parentheses", "error")
    assert "(35)" in finding.message


def test_parentheses_around_words_or_about_the_notation_pass() -> None:
    assert lint([mc(prompt="Which route (the one to the Pacific or to China) won?")]) == []
    notation = mc(prompt="In Table 1, what do parentheses around a number, such as (95), mean?")
    assert "figure-in-parentheses" not in rules(notation)


def test_unbolded_not_is_an_error() -> None:
    spec = mc(prompt="Which of these is NOT a route Moscow considered?")
    assert rules(spec) == {"unbolded-not"}
    assert lint([mc(prompt="Which of these is **NOT** a route Moscow considered?")]) == []
    assert lint([mc(prompt="Which was **NOT on the list**?")]) == []
    assert lint([mc(prompt="Which route did Moscow not favour?")]) == []


# ---------------------------------------------------------------- explanation


def words(n: int, stem: str = "w") -> str:
    return " ".join(f"{stem}{i}" for i in range(n))


def test_empty_explanation_is_an_error() -> None:
    assert rules(mc(explanation="  ")) == {"empty-explanation"}


def test_explanation_over_60_own_words_is_an_error() -> None:
    long = words(61)
    [finding] = lint([mc(explanation=long)])
    assert (finding.rule, finding.level) == ("long-explanation", "error")
    assert "61 words" in finding.message
    assert lint([mc(explanation=words(60))]) == []


def test_quotations_do_not_count_as_own_words() -> None:
    quote = "“" + words(50, "q") + "”"
    text = "The report says " + quote + " and " + words(40) + "."
    assert own_words(text) == 44
    assert lint([mc(explanation=text)]) == []
    assert own_words("China's share, 'Year of Russia', rose.") == 3


# ---------------------------------------------------------------- classification


def test_missing_objective_and_level_are_errors() -> None:
    assert rules(mc(objectives=(), level="")) == {"missing-objective", "missing-level"}


def test_unknown_objective_needs_the_lessons() -> None:
    known = {"energy": ("energy.pipeline-route",)}
    assert lint([GOOD_MC], objectives=known) == []
    assert rules(mc(objectives=("sco.members",)), objectives=known) == {"unknown-objective"}
    assert lint([mc(objectives=("sco.members",))]) == []  # without lessons: not checked


# ---------------------------------------------------------------- siblings


def test_siblings_with_identical_prompts_are_an_error() -> None:
    first = mc(key="a", fact="claim:route")
    second = replace(first, key="b", type="short_text", choices=None, answer=("Nakhodka",))
    findings = [f for f in lint([first, second]) if f.rule == "identical-siblings"]
    assert [(f.key, f.level) for f in findings] == [("b", "error")]
    assert "a" in findings[0].message


def test_siblings_worded_apart_and_strangers_alike_pass() -> None:
    first = mc(key="a", fact="claim:route")
    reworded = mc(key="b", fact="claim:route", prompt="Where does the favoured pipeline end?")
    stranger = mc(key="c")  # same prompt, but its own fact (its key)
    assert "identical-siblings" not in rules([first, reworded, stranger])


# ---------------------------------------------------------------- internal notes


def test_internal_note_in_the_explanation_is_an_error() -> None:
    spec = mc(
        explanation="It ends at Nakhodka. (original source: Derived from the text of the report)"
    )
    assert rules(spec) == {"internal-note"}


def test_internal_row_key_is_an_error() -> None:
    spec = mc(prompt="When was the Su-27SK/Flanker-B|1996 order delivered?")
    assert rules(spec) == {"internal-note"}


def test_ordinary_text_has_no_internal_note() -> None:
    assert lint([mc(explanation="Table 1 | SIPRI: the Pacific route sells beyond China.")]) == []


# ---------------------------------------------------------------- findings and files


def test_findings_carry_the_file_line_when_known() -> None:
    [finding] = lint([mc(explanation="")], lines={"q:mc": 12})
    assert finding.line == 12
    assert finding.as_line() == "line 12  empty-explanation  error  " + finding.message
    assert Finding("k", "r", "warning", "m").as_line() == "k  r  warning  m"


def test_error_count_ignores_warnings() -> None:
    findings = lint([mc(explanation="", choices=("Daqing", "Nakhodka", "Harbin"))])
    assert {f.level for f in findings} == {"error", "warning"}
    assert error_count(findings) == 1


def test_json_item_lines_point_at_each_object() -> None:
    text = json.dumps([{"a": 1}, {"b": [1, 2]}, {"c": {"d": 3}}], indent=2)
    lines = text.splitlines()
    starts = json_item_lines(text)
    assert [lines[n - 1].strip() for n in starts] == ["{", "{", "{"]
    assert [json.loads(text)[i] for i in range(3)] == [{"a": 1}, {"b": [1, 2]}, {"c": {"d": 3}}]
    assert starts == [2, 5, 11]
    assert json_item_lines('[{"a": 1}, {"b": 2}]') == [1, 1]
    assert json_item_lines("{}") == []


# ---------------------------------------------------------------- explain


def explain(model: str, points: int) -> QuestionSpec:
    return replace(
        GOOD_MC,
        key="q:explain",
        type="explain",
        prompt="Why did Moscow favour a Pacific terminal? Write two to four sentences.",
        choices=None,
        answer=ExplainAnswer(
            model=model,
            points=tuple(ChecklistPoint(f"point {i}", "words", "energy") for i in range(points)),
        ),
    )


def test_a_sound_explain_question_has_no_findings() -> None:
    assert lint([explain("Japan and Korea buy too, so Russia is not tied to China.", 2)]) == []


def test_explain_needs_two_checklist_points() -> None:
    (finding,) = lint([explain("A short model answer.", 1)])
    assert (finding.rule, finding.level) == ("explain-checklist", "error")
    assert "1 checklist point" in finding.message


def test_explain_model_answer_of_more_than_120_words_is_an_error() -> None:
    assert rules(explain(" ".join(f"w{i}" for i in range(120)), 3)) == set()
    (finding,) = lint([explain(" ".join(f"w{i}" for i in range(121)), 3)])
    assert (finding.rule, finding.level) == ("long-model-answer", "error")
    assert "121 words" in finding.message
