"""Question import/export formats: GIFT (Moodle's text format) and the JSON export."""

from __future__ import annotations


class FormatError(ValueError):
    """A question file that cannot be read or imported (nothing was written). ``line`` is
    1-based when known; ``missing`` names the defaults ("level", "objectives") that would let
    the file in."""

    def __init__(
        self, message: str, line: int | None = None, missing: tuple[str, ...] = ()
    ) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.message = message
        self.line = line
        self.missing = missing


from sinorus_learn.domain.formats.gift import (  # noqa: E402 (the errors above come first)
    GiftError,
    GiftExport,
    GiftImport,
    ImportedQuestion,
    SkippedQuestion,
    dump_gift,
    export_gift,
    parse_gift,
)
from sinorus_learn.domain.formats.json_format import (  # noqa: E402
    JsonFormatError,
    dump_json,
    parse_json,
)

__all__ = [
    "FormatError",
    "GiftError",
    "GiftExport",
    "GiftImport",
    "ImportedQuestion",
    "JsonFormatError",
    "SkippedQuestion",
    "dump_gift",
    "dump_json",
    "export_gift",
    "parse_gift",
    "parse_json",
]
