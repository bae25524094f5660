"""What a message says beyond its rule: the question as the company sees it, and a fitting fix.

A message names a question by its label in each language, never by its field code, and its
example fits the field ('12' for a whole number, '12,5' for a number, '35 %' for a share). For
a value that reads two ways, it offers two forms that read one way only, neither of them the
text the company typed.
"""

from decimal import Decimal as Exact
from decimal import InvalidOperation

from imvo.definitions.models import Catalogue, FieldSpec, Text
from pipelines.normalise import Decimal, Invalid, parse_number
from pipelines.template import META_ROWS

EXAMPLES = {"integer": Text(nl="12", en="12"), "percent": Text(nl="35 %", en="35%")}
NUMBER_EXAMPLE = Text(nl="12,5", en="12.5")
WHAT = {"integer": Text(nl="het getal", en="the number"),
        "number": Text(nl="het getal", en="the number"),
        "percent": Text(nl="het getal", en="the number"),
        "boolean": Text(nl="het antwoord", en="the answer")}
"""What to enter instead of an Excel error or a formula without a value."""
VALUE = Text(nl="de waarde", en="the value")


def field_label(catalogue: Catalogue, code: str | None) -> Text | None:
    """Return the label of a question or column code, or None for a text that is no code."""
    for meta, text in META_ROWS:
        if meta == code:
            return text
    return next((f.label for f in catalogue.fields if f.id == code), None)


def _written(number: Exact) -> Text:
    """Return a number written plainly, with a decimal comma (nl) and a decimal point (en)."""
    text = format(number.normalize(), "f")
    return Text(nl=text.replace(".", ","), en=text)


def _percent_readings(text: str, decimal: Decimal) -> Text:
    """Return the two readings of a bare share in (0, 1]: as a fraction and as percent."""
    try:
        number = Exact(repr(parse_number(text, decimal=decimal)))
    except (Invalid, InvalidOperation):
        return Text(nl="twee dingen", en="two things")
    fraction, percent = _written(number * 100), _written(number)
    return Text(nl=f"{fraction.nl} % of {percent.nl} %", en=f"{fraction.en}% or {percent.en}%")


def _number_readings(text: str) -> Text:
    """Return two forms of '1.234' that read one way: 1234 and 1,2340 (nl) or 1.2340 (en)."""
    digits = text.strip().replace(" ", "")
    whole, _, part = digits.replace(",", ".").partition(".")
    return Text(nl=f"{whole}{part} voor de duizendtallen, of {whole},{part}0 voor het "
                   "kommagetal",
                en=f"{whole}{part} for the thousands, or {whole}.{part}0 for the decimal number")


def type_detail(field_type: str, rule: str) -> Text | None:
    """Return the example or the kind of value a message names for a field type and rule."""
    if rule == "not_a_number":
        return EXAMPLES.get(field_type, NUMBER_EXAMPLE)
    if rule == "not_whole":
        return EXAMPLES["integer"]
    if rule in ("excel_error", "formula_without_value"):
        return WHAT.get(field_type, VALUE)
    return None


def rule_detail(spec: FieldSpec, rule: str, text: str | None, decimal: Decimal,
                whole: tuple[Text, str | None] | None = None) -> object:
    """Return what a message about a field's value fills in for its `{limit}`."""
    typed = type_detail(spec.type, rule)
    if typed is not None:
        return typed
    if rule == "ambiguous_percent" and text is not None:
        return _percent_readings(text, decimal)
    if rule == "ambiguous_number" and text is not None:
        return _number_readings(text)
    if rule == "above_other" and whole is not None:
        label, value = whole
        return Text(nl=f"{label.nl} ({value})", en=f"{label.en} ({value})")
    limit = {"below_min": spec.min, "above_max": spec.max}.get(rule)
    return f"{limit:g}" if isinstance(limit, float) else limit
