"""Flask-WTF forms, one module per area."""

from wtforms.fields.choices import SelectChoice


def options(*pairs: tuple[str, str]) -> list[SelectChoice]:
    """Return select options from (value, label) pairs (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]
