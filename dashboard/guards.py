"""The guards around every request: other sites' POSTs refused, protective headers, errors.

The Content-Security-Policy lets scripts come only from this site, plus the inline scripts Dash
writes into its page, named by their hashes; styles may be inline (plotly and the data grid
write style elements); images and workers may be data or blob URLs (chart export). Over https
the browser is told to come back over https only (HSTS).

Dash answers JSON POSTs, which carry no form token. A browser names the page that sent a POST
(Origin, else Referer); a POST named by another site is refused, so a page elsewhere cannot
make a signed-in user's browser call a callback (the SameSite cookie already keeps the session
out of such requests). A client that names no page is not a browser carrying our cookie.
"""

from collections.abc import Callable, Sequence
from functools import cache
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard.auth_text import at
from dashboard.body_limits import may_send_files
from dashboard.text import parse_lang

LIMIT_KEY = "IMVO_MAX_UPLOAD_BYTES"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000"
POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:", "font-src": "'self' data:", "connect-src": "'self'",
    "worker-src": "'self' blob:", "frame-ancestors": "'none'", "base-uri": "'self'",
    "form-action": "'self'", "object-src": "'none'",
}


def refuse_cross_site() -> Response | None:
    """Refuse a POST that a page of another site sent (browsers name the sending page)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if origin is None or urlsplit(origin).netloc == request.host:
        return None  # a client that names no page is not a browser carrying our cookie
    lang = parse_lang(request.args.get("lang"))
    return Response(at("cross_site", lang), status=403, mimetype="text/plain")


def secure_headers(response: Response) -> Response:
    """Add the headers that keep pages out of frames and files from being sniffed as HTML."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def content_policy(script_hashes: Sequence[str]) -> str:
    """Return the Content-Security-Policy header allowing the given inline scripts' hashes."""
    chosen = {**POLICY, "script-src": " ".join([POLICY["script-src"], *script_hashes])}
    return "; ".join(f"{name} {value}" for name, value in chosen.items())


def install_content_policy(server: Flask, script_hashes: Callable[[], Sequence[str]]) -> None:
    """Send the Content-Security-Policy on every answer; the hashes are read at the first one."""
    policy = cache(lambda: content_policy(script_hashes()))

    def add(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy())
        return response

    server.after_request(add)


def _expired(error: CSRFError) -> Response:
    lang = parse_lang(request.values.get("lang"))
    return Response(at("expired", lang), status=400, mimetype="text/plain")


def _too_large(error: RequestEntityTooLarge) -> Response:
    lang = parse_lang(request.args.get("lang"))
    if not may_send_files():
        limit = f"{(request.max_content_length or 0) / 2**20:.1f} MB"
        return Response(at("request_too_large", lang, limit=limit), status=413,
                        mimetype="text/plain")
    limit = f"{current_app.config[LIMIT_KEY] / 2**20:.1f} MB"
    return Response(at("too_large", lang, limit=limit), status=413, mimetype="text/plain")


def install_guards(server: Flask, *, max_upload_bytes: int) -> None:
    """Refuse other sites' POSTs, add the protective headers, explain refused requests."""
    server.config[LIMIT_KEY] = max_upload_bytes
    server.before_request(refuse_cross_site)
    server.after_request(secure_headers)
    server.register_error_handler(CSRFError, _expired)
    server.register_error_handler(RequestEntityTooLarge, _too_large)
