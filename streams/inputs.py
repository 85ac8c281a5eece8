"""Article files on disk -> message payloads for the articles topic."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from processors.articles import text_file_record


class InputFileError(ValueError):
    """A path given to replay/process that cannot be read as articles."""


def list_files(paths: list[Path]) -> list[Path]:
    """The article files under ``paths`` (folders walked, sorted by name)."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputFileError(f"{path}: no such file or folder")
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".txt", ".jsonl", ".ndjson"))
        elif path.suffix in (".txt", ".jsonl", ".ndjson"):
            files.append(path)
        else:
            raise InputFileError(f"{path}: expected a folder, a .txt or a .jsonl file")
    return files


def iter_payloads(paths: list[Path]) -> Iterator[tuple[str, bytes]]:
    """Yield ``(origin, payload)`` for every article in ``paths``.

    ``.txt`` files (seeds format) become one JSON record each; ``.jsonl`` lines are passed
    on as they are. Nothing is validated here: a text file that is not UTF-8 is passed on
    as raw bytes, so that the worker, the single gate for every producer, rejects it to the
    dead-letter topic with its reason.

    A record without ``received_at`` gets the file's modification time as its
    ``received_at``: the time the feed wrote it down, the same whether the file is replayed
    into the stream or read by ``tolls process``, and on every replay.
    """
    for f in list_files(paths):
        received = _file_time(f)
        if f.suffix == ".txt":
            data = f.read_bytes()
            try:
                record = text_file_record(f.stem, data.decode("utf-8"), received)
            except UnicodeDecodeError:
                yield str(f), data
                continue
            yield str(f), json.dumps(record, ensure_ascii=False).encode("utf-8")
        else:
            with f.open("rb") as fh:
                for n, line in enumerate(fh, 1):
                    line = line.rstrip(b"\r\n")
                    if line.strip():
                        yield f"{f}:{n}", _with_received(line, received)


def _file_time(path: Path) -> str:
    """A file's modification time, ISO 8601 in UTC to the millisecond."""
    ms = path.stat().st_mtime_ns // 1_000_000
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds")


def _with_received(line: bytes, received: str) -> bytes:
    """A JSON-lines record with ``received_at`` added when it has none (anything that is
    not a JSON object goes on untouched, for the worker to reject)."""
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return line
    if not isinstance(record, dict) or "received_at" in record:
        return line
    record["received_at"] = received
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def count_payloads(paths: list[Path]) -> int:
    total = 0
    for f in list_files(paths):
        if f.suffix == ".txt":
            total += 1
        else:
            with f.open("rb") as fh:
                total += sum(1 for line in fh if line.strip())
    return total
