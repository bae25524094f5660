"""The guards around every request: other sites' POSTs refused, protective headers, errors.

Dash answers JSON POSTs, which carry no form token. A browser names the page that sent a POST
(Origin, else Referer); a POST named by another site is refused, so a page elsewhere cannot
make a signed-in user's browser call a callback (the SameSite cookie already keeps the session
out of such requests). A client that names no page is not a browser carrying our cookie.
"""

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
    "Content-Security-Policy": "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
                               "object-src 'none'",
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
    return response


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
