"""Text that users supplied, printed literally: never read as rich markup, never as escape codes.

A user name, a file name or an audit detail may hold `[/red]` (rich markup) or an ESC sequence
that moves the cursor, recolours or retitles the terminal. Such text is printed as rich `Text`
(no markup) with every control character written as Python writes it: `\\x1b`, `\\n`, `\\u202e`;
the dashboard quotes what a refused request sent the same way.
"""

import re

from rich.text import Text

# C0 and C1 controls, DEL, and the invisible characters that reorder or hide text.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def escaped(text: str) -> str:
    """Return text with every control character shown as its escape, like repr() does."""
    return CONTROL.sub(lambda found: repr(found.group(0))[1:-1], text)


def literal(value: object) -> Text:
    """Return a value as rich Text printed exactly as written, control characters escaped."""
    return Text(escaped(str(value)))


def error_text(message: str, hint: str | None = None) -> Text:
    """Return the error line of the command line, 'Error: ...', and the hint on its own line."""
    text = Text.assemble(("Error:", "red"), " ", escaped(message))
    if hint:
        text.append(f"\nHint: {escaped(hint)}")
    return text
