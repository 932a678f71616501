"""The lesson-quiz blueprint and the sibling rule, over many seeds and learner histories."""

from __future__ import annotations

import math
import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from sinorus_learn.domain.selection import (
    DEEP_LEVELS,
    TABLE,
    TEXT,
    TIMELINE,
    Blueprint,
    Candidate,
    clashes,
    lesson_blueprint,
    select_questions,
)

OBJECTIVES = ("t.a", "t.b", "t.c", "t.d", "t.e")
TYPES = ("multiple_choice", "multiple_select", "true_false", "numeric", "ordering", "matching")
EXPLAIN_TYPES = (*TYPES, "explain")
LEVELS = ("recall", "explain", "data", "evaluate")


@st.composite
def pools(draw: st.DrawFn) -> list[Candidate]:
    """A topic's bank as a learner meets it: table, timeline and text questions, siblings among
    the table and timeline ones, stems that state other questions' facts, and a history."""
    size = draw(st.integers(min_value=0, max_value=60))
    facts = [f"cell-{i}" for i in range(draw(st.integers(min_value=1, max_value=25)))]
    pool = []
    for i in range(size):
        origin = draw(st.sampled_from((TABLE, TABLE, TIMELINE, TEXT)))
        fact = draw(st.sampled_from(facts)) if origin != TEXT else ""
        stated = draw(st.sets(st.sampled_from(facts), max_size=2)) if origin == TABLE else set()
        seen = draw(st.booleans())
        pool.append(
            Candidate(
                key=f"q{i}",
                seen=seen,
                last_correct=draw(st.booleans()) if seen else None,
                due=seen and draw(st.booleans()),
                fact=fact,
                given=frozenset(stated - {fact}),
                objectives=tuple(draw(st.sets(st.sampled_from(OBJECTIVES), min_size=1))),
                level=draw(st.sampled_from(LEVELS)) if origin == TEXT else "data",
                qtype=draw(st.sampled_from(EXPLAIN_TYPES if origin == TEXT else TYPES)),
                origin=origin,
            )
        )
    return pool


def rich_pool(seed: int) -> list[Candidate]:
    """A topic with enough of everything: every objective has text questions of each level."""
    rng = random.Random(seed)
    pool = []
    for i in range(120):
        origin = (TABLE, TIMELINE, TEXT, TEXT)[i % 4]
        pool.append(
            Candidate(
                key=f"q{i}",
                seen=rng.random() < 0.5,
                last_correct=rng.random() < 0.5,
                fact=f"cell-{i % 30}" if origin == TABLE else "",
                objectives=(OBJECTIVES[i % len(OBJECTIVES)],),
                level=LEVELS[(i // 4) % 4] if origin == TEXT else "data",
                qtype=TYPES[i % len(TYPES)],
                origin=origin,
            )
        )
    return pool


def chosen_of(pool: list[Candidate], keys: list[str]) -> list[Candidate]:
    by_key = {c.key: c for c in pool}
    return [by_key[k] for k in keys]


@settings(max_examples=300)
@given(pool=pools(), n=st.integers(min_value=1, max_value=30), seed=st.integers())
def test_no_quiz_holds_siblings_or_give_aways(pool: list[Candidate], n: int, seed: int) -> None:
    for blueprint in (None, lesson_blueprint(OBJECTIVES)):
        chosen = chosen_of(pool, select_questions(pool, n, random.Random(seed), blueprint))
        assert len({c.key for c in chosen}) == len(chosen) <= n
        for i, a in enumerate(chosen):
            for b in chosen[i + 1 :]:
                assert not clashes(a, b), (a, b)


@settings(max_examples=300)
@given(pool=pools(), n=st.integers(min_value=1, max_value=30), seed=st.integers())
def test_a_lesson_quiz_keeps_its_mix(pool: list[Candidate], n: int, seed: int) -> None:
    keys = select_questions(pool, n, random.Random(seed), lesson_blueprint(OBJECTIVES))
    chosen = chosen_of(pool, keys)
    m = len(chosen)
    origins = Counter(c.origin for c in chosen)
    assert origins[TABLE] <= math.floor(0.4 * m)
    assert origins[TIMELINE] <= math.floor(0.3 * m)
    assert max(Counter(c.qtype for c in chosen).values(), default=0) <= max(1, math.floor(0.4 * m))
    assert sum(c.qtype == "explain" for c in chosen) <= 2


@given(seed=st.integers(), n=st.integers(min_value=2, max_value=30), explains=st.integers(1, 8))
def test_a_lesson_quiz_has_one_or_two_explain_questions_where_the_topic_has_them(
    seed: int, n: int, explains: int
) -> None:
    pool = rich_pool(seed) + [
        Candidate(f"e{i}", objectives=(OBJECTIVES[i % 5],), level="explain", qtype="explain")
        for i in range(explains)
    ]
    chosen = chosen_of(
        pool, select_questions(pool, n, random.Random(seed), lesson_blueprint(OBJECTIVES))
    )
    assert len(chosen) == n
    assert 1 <= sum(c.qtype == "explain" for c in chosen) <= 2
    assert sum(c.level in DEEP_LEVELS for c in chosen) >= math.ceil(n / 3)


def test_a_topic_without_explain_questions_has_none() -> None:
    pool = rich_pool(3)
    keys = select_questions(pool, 10, random.Random(3), lesson_blueprint(OBJECTIVES))
    assert len(keys) == 10
    assert not any(c.qtype == "explain" for c in chosen_of(pool, keys))


def test_practice_without_a_blueprint_does_not_cap_explain() -> None:
    pool = [Candidate(f"e{i}", level="explain", qtype="explain") for i in range(5)]
    assert len(select_questions(pool, 5, random.Random(0))) == 5


@given(seed=st.integers(), n=st.integers(min_value=3, max_value=30))
def test_a_rich_topic_fills_the_quiz_with_a_third_explain_or_evaluate(seed: int, n: int) -> None:
    pool = rich_pool(seed)
    chosen = chosen_of(
        pool, select_questions(pool, n, random.Random(seed), lesson_blueprint(OBJECTIVES))
    )
    assert len(chosen) == n
    deep = sum(c.level in DEEP_LEVELS for c in chosen)
    assert deep >= math.ceil(n / 3)


@given(seed=st.integers(), n=st.integers(min_value=5, max_value=30))
def test_a_lesson_quiz_spreads_over_every_objective(seed: int, n: int) -> None:
    pool = rich_pool(seed)
    chosen = chosen_of(
        pool, select_questions(pool, n, random.Random(seed), lesson_blueprint(OBJECTIVES))
    )
    per_objective = Counter(o for c in chosen for o in c.objectives)
    assert set(per_objective) == set(OBJECTIVES)
    assert max(per_objective.values()) - min(per_objective.values()) <= 2


def test_the_weakest_objective_comes_first() -> None:
    pool = rich_pool(1)
    for weakest in OBJECTIVES:
        order = (weakest, *(o for o in OBJECTIVES if o != weakest))
        for seed in range(20):
            keys = select_questions(pool, 1, random.Random(seed), lesson_blueprint(order))
            assert chosen_of(pool, keys)[0].objectives == (weakest,)


def test_siblings_apart_even_without_a_blueprint() -> None:
    pool = [Candidate(f"q{i}", fact="oil:2005:share") for i in range(5)] + [
        Candidate("implied", fact="oil:derived:total:2005", given=frozenset({"oil:2005:share"})),
        Candidate("other"),
    ]
    for seed in range(50):
        chosen = chosen_of(pool, select_questions(pool, 10, random.Random(seed)))
        assert sum(c.fact_id == "oil:2005:share" for c in chosen) <= 1
        facts = {c.fact_id for c in chosen}
        assert not ("oil:2005:share" in facts and "oil:derived:total:2005" in facts)
        assert "other" in {c.key for c in chosen}


def test_a_quiz_comes_out_shorter_rather_than_break_the_mix() -> None:
    pool = [
        Candidate(f"t{i}", origin=TABLE, objectives=("t.a",), qtype=TYPES[i % 6]) for i in range(20)
    ]
    pool += [
        Candidate(f"x{i}", objectives=("t.a",), level="explain", qtype=TYPES[i % 6])
        for i in range(3)
    ]
    chosen = chosen_of(
        pool, select_questions(pool, 10, random.Random(0), lesson_blueprint(("t.a",)))
    )
    assert len(chosen) == 5  # 3 text questions carry 2 from the table: 2 <= 40% of 5
    assert sum(c.origin == TABLE for c in chosen) == 2


def test_an_empty_blueprint_imposes_only_the_sibling_rule() -> None:
    pool = [Candidate(f"t{i}", origin=TABLE, qtype="numeric") for i in range(10)]
    assert len(select_questions(pool, 10, random.Random(0), Blueprint())) == 10
