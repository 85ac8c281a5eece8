"""The input gate: every kind of bad message becomes a rejection with a reason, never an error."""

import json
from datetime import UTC, datetime

import pytest

from processors.articles import parse_payload, text_file_record
from processors.models import Article, Rejection

LIMITS = {"max_message_bytes": 200_000, "max_text_bytes": 100_000}


def parse(payload):
    return parse_payload(payload, **LIMITS)


def test_valid_article_with_all_fields():
    raw = json.dumps(
        {
            "id": "a1",
            "text": "Two people died.",
            "title": "T",
            "published_at": "2024-05-01T10:00:00",
            "outlet": "Wire",
            "url": "https://example.org/a1",
        }
    ).encode()
    article = parse(raw)
    assert isinstance(article, Article)
    assert article.published_at.tzinfo is not None  # naive times are taken as UTC
    assert article.published_date.isoformat() == "2024-05-01"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{not json", "invalid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2]", "expected a JSON object"),
        (json.dumps({"id": "a"}).encode(), "text"),
        (json.dumps({"id": "a", "text": "   "}).encode(), "text is empty"),
        (json.dumps({"id": "a", "text": 42}).encode(), "text"),
        (json.dumps({"id": ["x"], "text": "x"}).encode(), "id"),
        (json.dumps({"id": "a", "text": "x", "colour": "red"}).encode(), "colour"),
        (
            json.dumps({"id": "a", "text": "x", "published_at": "last Tuesday"}).encode(),
            "published_at",
        ),
        (json.dumps({"id": "a", "text": "x" * 150_000}).encode(), "TOLLS_MAX_TEXT_BYTES"),
        (b"x" * 300_000, "TOLLS_MAX_MESSAGE_BYTES"),
        (None, "empty message"),
    ],
)
def test_bad_input_is_rejected_with_a_reason(payload, reason):
    result = parse(payload)
    assert isinstance(result, Rejection)
    assert reason in result.reason
    assert len(result.raw) <= 2_000


def test_rejection_keeps_the_article_id_when_there_is_one():
    result = parse(json.dumps({"id": "abc", "text": ""}).encode())
    assert isinstance(result, Rejection)
    assert result.article_id == "abc"


def test_text_file_with_date_line():
    record = text_file_record("x", " date 2023-12-30 Strikes hit the city.\n\nMore text.")
    assert record == {
        "id": "x",
        "published_at": "2023-12-30",
        "text": "Strikes hit the city.\n\nMore text.",
    }
    assert isinstance(parse(json.dumps(record)), Article)


def test_text_file_without_date_line():
    record = text_file_record("y", "A headline\n\nBody.")
    assert record == {"id": "y", "text": "A headline\n\nBody."}


def test_input_files_record_when_they_were_received_once(tmp_path):
    import os

    from streams.inputs import iter_payloads

    (tmp_path / "a.txt").write_text("Two people were killed.")
    (tmp_path / "b.jsonl").write_text(
        '{"id": "b1", "text": "x"}\n'
        '{"id": "b2", "text": "x", "received_at": "2030-01-02T03:04:05Z"}\n'
        "not json\n"
    )
    for f in ("a.txt", "b.jsonl"):
        os.utime(tmp_path / f, ns=(0, 1_900_000_000_123_456_789))
    payloads = list(iter_payloads([tmp_path]))
    assert payloads == list(iter_payloads([tmp_path]))  # the same on every replay
    got = [json.loads(p).get("received_at") if p.startswith(b"{") else p for _, p in payloads]
    assert got == [
        "2030-03-17T17:46:40.123+00:00",
        "2030-03-17T17:46:40.123+00:00",
        "2030-01-02T03:04:05Z",  # the record's own wins
        b"not json",  # left for the worker to reject
    ]
    article = parse_payload(payloads[0][1], max_message_bytes=10**6, max_text_bytes=10**6)
    assert article.received_at == datetime(2030, 3, 17, 17, 46, 40, 123000, tzinfo=UTC)
