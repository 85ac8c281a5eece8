"""The live page: ``GET /`` and its static files, served by the worker's web server.

The page holds no data of its own. Its script (``static/page.js``) asks the worker's
``/query`` endpoint for every row it shows and ``/health`` for the worker's lag, so it can
never disagree with ``tolls query``; it polls both every second and redraws what changed.
The static files are served without the endpoint's token: they hold no data, and the page
needs them to ask for the token (``#token=...`` in its address, kept in sessionStorage and
sent as ``Authorization: Bearer ...`` with each /query and /health request).

Only the files shipped in ``streams/static`` are served, read once at start, with an ETag
so a browser that polls the page does not download them again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import faust
from faust.web import Request, Response, View

#: what each shipped file is served as
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".LICENSE": "text/plain; charset=utf-8",
}

# The page runs only its own files: no inline script, no other origin, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str
    etag: str


def load_static() -> dict[str, StaticFile]:
    """The files of the ``streams.static`` package, by name (the page is ``index.html``)."""
    files: dict[str, StaticFile] = {}
    for entry in resources.files("streams.static").iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if not entry.is_file() or suffix not in CONTENT_TYPES:
            continue
        body = entry.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        files[entry.name] = StaticFile(body, CONTENT_TYPES[suffix], etag)
    return files


def add_pages(app: faust.App) -> None:
    """Serve the live page at ``/`` and its files at ``/static/{name}`` (no token needed)."""
    files = load_static()
    page = files["index.html"]

    def send(view: View, request: Request, file: StaticFile) -> Response:
        headers = {**SECURITY_HEADERS, "ETag": file.etag, "Cache-Control": "no-cache"}
        if request.headers.get("If-None-Match") == file.etag:
            return view.bytes(b"", status=304, headers=headers)
        # aiohttp refuses a charset in ``content_type=``; the header carries it instead
        return view.bytes(file.body, headers={**headers, "Content-Type": file.content_type})

    # Registered before faust applies its own blueprints, so this view answers ``/``
    # rather than faust's placeholder index ({"status": "OK"}).
    @app.page("/", name="page")
    class PageView(View):
        """The live page (static HTML; its script fetches the data)."""

        async def get(self, request: Request) -> Response:
            return send(self, request, page)

    @app.page("/static/{name}", name="static")
    class StaticView(View):
        """The page's script, styles and the vendored chart library with its licence."""

        async def get(self, request: Request, name: str) -> Response:
            file = files.get(name)
            if file is None:
                return self.json({"error": f"no static file {name!r}"}, status=404)
            return send(self, request, file)
