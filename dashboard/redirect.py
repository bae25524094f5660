"""Where to go after signing in: only ever a path on this site, however the target is written.

Browsers and urllib read a Location leniently: they drop tabs and newlines anywhere, strip
spaces and control characters at the ends, and take a backslash for a slash, so `/<tab>/x` and
`/\\x` lead to the site x. The target is read the same way first, every percent-decoded form of
it too (a later reader may decode it), and then it must be a plain path: one leading slash, no
scheme, no host, no dot segments.
"""

import re
from urllib.parse import quote, unquote, urlsplit

from dashboard.text import Lang

REMOVED = re.compile(r"[\t\n\r]")
ENDS = "".join(map(chr, range(0x21)))  # C0 controls and space
DOT_SEGMENT = re.compile(r"(^|/)\.{1,2}(/|$)")
URI_CHARACTERS = "-._~:/?#[]@!$&'()*+,;=%"  # RFC 3986 unreserved and reserved, and escapes
DECODINGS = 4  # a target still changing after this many decodings is refused


def as_read(target: str) -> str:
    """Return a URL reference as browsers read it: tabs and newlines gone, ends trimmed."""
    return REMOVED.sub("", target).strip(ENDS).replace("\\", "/")


def _is_local_path(reference: str) -> bool:
    if not reference.startswith("/") or reference.startswith("//"):
        return False
    try:
        parts = urlsplit(reference)
    except ValueError:  # a bracket that does not close an IPv6 host
        return False
    return not parts.scheme and not parts.netloc and not DOT_SEGMENT.search(parts.path)


def safe_next(target: str | None, lang: Lang) -> str:
    """Return a path on this site to go to after signing in; never another site."""
    fallback = f"/?lang={lang}"
    if not target:
        return fallback
    chosen = quote(as_read(target), safe=URI_CHARACTERS)
    form = chosen
    for _ in range(DECODINGS):
        if not _is_local_path(as_read(form)):
            return fallback
        decoded = unquote(form)
        if decoded == form:
            return chosen
        form = decoded
    return fallback
