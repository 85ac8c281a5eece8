"""The input gate: every kind of bad message becomes a rejection with a reason, never an error."""

import json

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
