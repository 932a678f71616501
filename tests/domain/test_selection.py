"""Question selection favours what the learner needs and never repeats; choices are shuffled."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from sinorus_learn.domain.selection import Candidate, select_questions, shuffle_choices

POOL = [Candidate(f"known-{i}", seen=True, last_correct=True) for i in range(10)] + [
    Candidate("new", seen=False),
    Candidate("wrong", seen=True, last_correct=False),
    Candidate("due", seen=True, last_correct=True, due=True),
]


@given(
    keys=st.lists(st.sampled_from("abcdefgh"), max_size=20),
    n=st.integers(min_value=-1, max_value=12),
    seed=st.integers(),
)
def test_never_repeats_a_key(keys: list[str], n: int, seed: int) -> None:
    chosen = select_questions([Candidate(k) for k in keys], n, random.Random(seed))
    assert len(chosen) == len(set(chosen)) == min(max(n, 0), len(set(keys)))
    assert set(chosen) <= set(keys)


def test_deterministic_for_a_seed() -> None:
    first = select_questions(POOL, 5, random.Random(7))
    assert first == select_questions(POOL, 5, random.Random(7))


def test_favours_unseen_wrong_and_due() -> None:
    picks: Counter[str] = Counter()
    for seed in range(400):
        picks.update(select_questions(POOL, 3, random.Random(seed)))
    known = sum(picks[f"known-{i}"] for i in range(10)) / 10
    assert picks["new"] > 2 * known
    assert picks["wrong"] > 2 * known
    assert picks["due"] > known


def test_shuffle_keeps_true_false_and_free_text() -> None:
    rng = random.Random(1)
    assert shuffle_choices("true_false", ("True", "False"), rng) == ("True", "False")
    assert shuffle_choices("numeric", None, rng) is None


def test_shuffle_is_a_deterministic_permutation() -> None:
    choices = ("a", "b", "c", "d", "e")
    shown = shuffle_choices("multiple_choice", choices, random.Random(3))
    assert shown == shuffle_choices("multiple_choice", choices, random.Random(3))
    assert sorted(shown or ()) == list(choices)


@given(seed=st.integers(), n=st.integers(min_value=2, max_value=5))
def test_ordering_items_come_out_as_a_permutation(seed: int, n: int) -> None:
    items = tuple(str(1990 + i) for i in range(n))
    shown = shuffle_choices("ordering", items, random.Random(seed))
    assert sorted(shown or ()) == list(items)


def test_figures_and_years_are_shown_in_ascending_order() -> None:
    from sinorus_learn.domain.presentation import present

    figures = ["12.8 million tons", "5.3 million tons", "$1,015 million", "0.6 million tons"]
    for seed in range(20):
        shown = present("multiple_choice", figures, figures[0], random.Random(seed))["choices"]
        assert shown == [
            "0.6 million tons",
            "5.3 million tons",
            "12.8 million tons",
            "$1,015 million",
        ]
        years = present(
            "multiple_select", ["2005", "1999", "2001-02"], ["2005"], random.Random(seed)
        )
        assert years["choices"] == ["1999", "2001-02", "2005"]
    words = ["Angola", "Iran", "Saudi Arabia", "Kazakhstan"]
    orders = {
        tuple(present("multiple_choice", words, "Iran", random.Random(s))["choices"])
        for s in range(20)
    }
    assert len(orders) > 1  # words are still shuffled
