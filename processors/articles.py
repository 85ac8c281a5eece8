"""The gate every input passes: raw message bytes -> :class:`Article` or :class:`Rejection`.

Also reads the seeds' text-file format, so that ``tolls replay`` and ``tolls process`` turn
files into the same wire records.
"""

from __future__ import annotations

import json
import re

from pydantic import ValidationError

from processors.models import Article, Rejection

RAW_EXCERPT_CHARS = 2_000
_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+")


def _excerpt(payload: bytes | str) -> str:
    text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else payload
    return text[:RAW_EXCERPT_CHARS]


def _reject(reason: str, payload: bytes | str, article_id: object = None) -> Rejection:
    aid = str(article_id)[:200] if isinstance(article_id, str | int) else None
    return Rejection(reason=reason, article_id=aid, raw=_excerpt(payload))


def parse_payload(
    payload: bytes | str | None,
    *,
    max_message_bytes: int,
    max_text_bytes: int,
    key: bytes | str | None = None,
) -> Article | Rejection:
    """Validate one message from the articles topic.

    Returns the article, or a rejection whose ``reason`` says what is wrong in words a
    producer can act on. Never raises for bad input. A rejection names the article by the
    record's ``id`` when it can be read, else by the message ``key`` (a message too large
    to read, say), so that the producer can tell which article it was.
    """
    result = _parse(payload, max_message_bytes, max_text_bytes)
    if isinstance(result, Rejection) and result.article_id is None and key:
        named = key.decode("utf-8", errors="replace") if isinstance(key, bytes) else key
        result = result.model_copy(update={"article_id": named[:200]})
    return result


def _parse(
    payload: bytes | str | None, max_message_bytes: int, max_text_bytes: int
) -> Article | Rejection:
    if payload is None:
        return _reject("empty message (no value)", b"")
    size = len(payload.encode("utf-8") if isinstance(payload, str) else payload)
    if size > max_message_bytes:
        return _reject(
            f"message is {size} bytes; the limit is {max_message_bytes} (TOLLS_MAX_MESSAGE_BYTES)",
            payload,
        )
    if isinstance(payload, bytes):
        try:
            payload = payload.decode("utf-8")
        except UnicodeDecodeError as exc:
            return _reject(f"message is not UTF-8 ({exc.reason} at byte {exc.start})", payload)
    try:
        record = json.loads(payload)
    except json.JSONDecodeError as exc:
        return _reject(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", payload)
    if not isinstance(record, dict):
        return _reject(f"expected a JSON object, got {type(record).__name__}", payload)
    article_id = record.get("id")
    text = record.get("text")
    if isinstance(text, str) and len(text.encode("utf-8")) > max_text_bytes:
        return _reject(
            f"text is {len(text.encode('utf-8'))} bytes; the limit is {max_text_bytes} "
            "(TOLLS_MAX_TEXT_BYTES)",
            payload,
            article_id,
        )
    try:
        return Article.model_validate(record, strict=False)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['msg']}" for e in exc.errors()
        )
        return _reject(f"invalid article: {problems}", payload, article_id)


def message_key(payload: bytes) -> bytes | None:
    """The article id as the message key, when the payload is a JSON object with one."""
    try:
        record = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(record, dict) and isinstance(record.get("id"), str | int):
        return str(record["id"]).encode()
    return None


def text_file_record(
    article_id: str, content: str, received_at: str | None = None
) -> dict[str, str]:
    """A seeds-format text file as a wire record.

    A first line starting with `` date YYYY-MM-DD `` gives ``published_at``; the marker is
    not part of the text. ``received_at`` (ISO 8601), when given, is recorded with it.
    """
    record = {"id": article_id}
    match = _DATE_LINE.match(content)
    if match:
        record["published_at"] = match.group(1)
        content = content[match.end() :]
    record["text"] = content
    if received_at is not None:
        record["received_at"] = received_at
    return record


def article_from_text(article_id: str, content: str) -> Article:
    """A seeds-format text file as an :class:`Article` (see :func:`text_file_record`)."""
    return Article.model_validate(text_file_record(article_id, content))
