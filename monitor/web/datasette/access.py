"""Who may change the watch list from the browser: Datasette's actors and permissions.

Reads stay as they are (anyone who reaches the server). Writes (the `redline-write` permission)
are allowed to:

- the local user: a server bound to a loopback address (127.0.0.1, ::1, localhost; or in-process)
  with no public URL (behind a proxy every visitor would come from loopback), a request from a
  loopback client whose Host header names loopback (a DNS-rebinding page names its own host);
- whoever holds the operator's write token (`serve.write_token`, env
  `REDLINE_SERVE_WRITE_TOKEN`): signed in at `/-/redline/login` (Datasette's signed `ds_actor`
  cookie) or sending `Authorization: Bearer TOKEN`.

Nobody may write when the server says why not (`read_only_reason`): `serve --cluster` serves the
cluster's rollup, which is rebuilt from the shards.

Every write is a POST checked by Datasette's CSRF protection (asgi-csrf). asgi-csrf lets a POST
without any cookie through, and a cross-site form sends none (SameSite=Lax), so `check_write`
also refuses a form POST without the CSRF cookie, and any cross-site request. asgi-csrf 0.11
cannot read multipart forms with python-multipart 0.0.2x (it passes the removed `FileClass`), so
the desk's file uploads skip it (`skip_csrf`) and `check_form_token` does the same comparison:
the form's token against the signed cookie.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from datasette import hookimpl as _hookimpl
from datasette.utils.asgi import Forbidden
from itsdangerous import BadSignature, URLSafeSerializer

F = TypeVar("F", bound=Callable[..., Any])
hookimpl = cast(Callable[[F], F], _hookimpl)  # datasette has no type hints

PLUGIN = "redline"
WRITE = "redline-write"
LOCAL_ACTOR = "local"
EDITOR_ACTOR = "redline-editor"
CSRF_COOKIE = "ds_csrftoken"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def write_token(datasette: Any) -> str:
    """The operator's token, kept on the Datasette object (never in the metadata, which
    `/-/metadata` publishes)."""
    return str(getattr(datasette, "redline_write_token", "") or "")


def read_only_reason(datasette: Any) -> str:
    """Why nobody may change the watch list on this server, or "" (kept on the Datasette object
    like the write token)."""
    return str(getattr(datasette, "redline_read_only", "") or "")


def local_server(datasette: Any) -> bool:
    """Bound to loopback (or in-process) and not published behind a proxy."""
    config = datasette.plugin_config(PLUGIN, fallback=False) or {}
    if config.get("public_url"):
        return False
    bound = str(config.get("bound_url") or "")
    return not bound or is_loopback(urlsplit(bound).hostname or "")


def _local_request(request: Any) -> bool:
    client = (request.scope.get("client") or ("", 0))[0] or ""
    host = request.headers.get("host", "")
    host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return is_loopback(str(client)) and is_loopback(host)


def _bearer(request: Any) -> str:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""


def from_script(request: Any) -> bool:
    """The request carries the write token itself (`Authorization: Bearer`): a script, not a
    person at a page."""
    return bool(_bearer(request))


def token_matches(datasette: Any, given: str) -> bool:
    token = write_token(datasette)
    return bool(token) and secrets.compare_digest(given.encode(), token.encode())


@hookimpl
def actor_from_request(datasette: Any, request: Any) -> dict[str, str] | None:
    if token_matches(datasette, _bearer(request)):
        return {"id": EDITOR_ACTOR}
    if local_server(datasette) and _local_request(request):
        return {"id": LOCAL_ACTOR}
    return None


@hookimpl
def permission_allowed(actor: Any, action: str) -> bool | None:
    if action != WRITE:
        return None
    return bool(actor) and actor.get("id") in (LOCAL_ACTOR, EDITOR_ACTOR)


async def may_write(datasette: Any, request: Any) -> bool:
    if read_only_reason(datasette):
        return False
    allowed = await datasette.permission_allowed(request.actor, WRITE, default=False)
    return bool(allowed)


async def check_write(datasette: Any, request: Any) -> None:
    """Refuse (403) a write that lacks the permission or comes from another site."""
    if request.headers.get("sec-fetch-site", "") == "cross-site":
        raise Forbidden("a write from another site is refused")
    if read_only_reason(datasette):
        raise Forbidden(f"the watch list cannot be changed here: {read_only_reason(datasette)}")
    if not _bearer(request) and CSRF_COOKIE not in request.cookies:
        raise Forbidden("form POST without its CSRF token: reload the page and try again")
    if not await may_write(datasette, request):
        raise Forbidden(
            "changing the watch list here needs the operator's write token: "
            "sign in at /-/redline/login"
        )


DESK_WRITES = "/-/redline/desk/"


@hookimpl
def skip_csrf(scope: dict[str, Any]) -> bool | None:
    """A multipart POST to the desk: checked by `check_form_token` instead (see above)."""
    if scope.get("type") != "http" or not str(scope.get("path", "")).startswith(DESK_WRITES):
        return None
    headers = dict(scope.get("headers") or [])
    return headers.get(b"content-type", b"").startswith(b"multipart/form-data") or None


def check_form_token(datasette: Any, request: Any, given: str) -> None:
    """The form's CSRF token is the one of the signed `ds_csrftoken` cookie (asgi-csrf's own
    check, for the forms it cannot read)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    try:
        URLSafeSerializer(datasette._secret).loads(cookie, "csrftoken")
    except BadSignature as error:
        raise Forbidden("form POST without a valid CSRF cookie") from error
    if not secrets.compare_digest(given.encode(), cookie.encode()):
        raise Forbidden("form POST with a wrong CSRF token: reload the page and try again")
