"""`tolls query` against a worker that is starting: it waits, then answers (or says why)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from streams import client
from streams.service import _process_start
from streams.settings import Settings


class Starting(BaseHTTPRequestHandler):
    """An endpoint that answers 503 ("starting") to the first ``starting`` queries."""

    starting = 2
    asked = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).asked += 1
        if type(self).asked <= type(self).starting:
            status, body = 503, {"error": "the worker is starting"}
        else:
            status, body = 200, {"columns": ["n"], "rows": [[1]], "truncated": False}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[Path]:
    Starting.asked = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Starting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    record = {
        "pid": os.getpid(),
        "host": "127.0.0.1",
        "port": server.server_address[1],
        "started": _process_start(os.getpid()),
    }
    (tmp_path / "endpoint.json").write_text(json.dumps(record))
    try:
        yield tmp_path
    finally:
        server.shutdown()
        server.server_close()


def test_query_waits_for_a_starting_worker(endpoint: Path) -> None:
    settings = Settings(data_dir=endpoint, query_wait_seconds=10)
    assert client.query(settings, "SELECT 1 AS n") == (["n"], [[1]])
    assert Starting.asked == 3


def test_query_gives_up_after_the_wait_and_says_why(endpoint: Path) -> None:
    settings = Settings(data_dir=endpoint, query_wait_seconds=0)
    with pytest.raises(client.WorkerStarting, match=r"starting.*TOLLS_QUERY_WAIT_SECONDS"):
        client.query(settings, "SELECT 1 AS n")
    assert Starting.asked == 1


def test_a_file_held_by_another_program_is_no_starting_worker() -> None:
    assert not client._is_worker(os.getpid())  # pytest, not `tolls up`
    assert not client._is_worker(None)
