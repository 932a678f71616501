"""What the bank asks, counted: per topic and level, per type, per objective, and how often the
correct option of a hand-written single-answer question is the longest (LEARNING.md section 5).

The figures the content issues are judged by; `flask questions stats` prints them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sinorus_learn.domain.lint import correct_is_longest, longest_applies
from sinorus_learn.domain.questions import DEEP_LEVELS, LEVELS, QuestionSpec


@dataclass(frozen=True)
class ObjectiveCoverage:
    """How many active questions ask one objective, and how many of them are deep."""

    objective: str
    questions: int
    deep: int


@dataclass
class BankStats:
    """Counts over a list of questions; ``hand_written`` are those without a template."""

    total: int = 0
    hand_written: Counter[str] = field(default_factory=Counter)  # topic -> count
    by_topic_level: dict[str, Counter[str]] = field(default_factory=dict)
    by_type: Counter[str] = field(default_factory=Counter)
    deep: int = 0
    longest_mc: int = 0  # hand-written single-answer MC (options in words)
    longest_correct: int = 0  # of those, the key strictly the longest
    objectives: list[ObjectiveCoverage] = field(default_factory=list)

    @property
    def deep_share(self) -> float:
        return self.deep / self.total if self.total else 0.0

    @property
    def longest_share(self) -> float:
        return self.longest_correct / self.longest_mc if self.longest_mc else 0.0

    def lines(self) -> list[str]:
        """Return the figures as plain text lines, for the CLI and a note."""
        out = [f"questions: {self.total}; explain+evaluate: {self.deep} ({self.deep_share:.0%})"]
        out.append("topic: " + " / ".join(LEVELS) + " | hand-written")
        for topic, levels in sorted(self.by_topic_level.items()):
            counts = "/".join(str(levels.get(level, 0)) for level in LEVELS)
            out.append(f"  {topic}: {counts} | {self.hand_written.get(topic, 0)}")
        out.append("type: " + ", ".join(f"{t} {n}" for t, n in sorted(self.by_type.items())))
        out.append(
            f"hand-written single-answer MC with the key strictly longest: "
            f"{self.longest_correct} of {self.longest_mc} ({self.longest_share:.0%})"
        )
        thin = [c for c in self.objectives if c.questions < 3 or c.deep < 1]
        out.append(
            f"objectives: {len(self.objectives)}; with < 3 questions or no deep one: {len(thin)}"
        )
        out.extend(f"  {c.objective}: {c.questions} questions, {c.deep} deep" for c in thin)
        return out


def bank_stats(specs: Sequence[QuestionSpec], objectives: Mapping[str, Iterable[str]]) -> BankStats:
    """Count ``specs``; ``objectives`` maps each topic to its lesson's objective ids."""
    stats = BankStats(total=len(specs))
    asked: Counter[str] = Counter()
    asked_deep: Counter[str] = Counter()
    for spec in specs:
        stats.by_topic_level.setdefault(spec.topic, Counter())[spec.level] += 1
        stats.by_type[spec.type] += 1
        deep = spec.level in DEEP_LEVELS
        stats.deep += deep
        for objective in spec.objectives:
            asked[objective] += 1
            asked_deep[objective] += deep
        if spec.template is None:
            stats.hand_written[spec.topic] += 1
            if longest_applies(spec):
                stats.longest_mc += 1
                stats.longest_correct += correct_is_longest(spec)
    stats.objectives = [
        ObjectiveCoverage(objective, asked[objective], asked_deep[objective])
        for ids in objectives.values()
        for objective in ids
    ]
    return stats
