"""The extraction processes beside the worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from processors.models import Article
from streams.pipeline import extract_grouped, extraction_pool, pool_pids


@pytest.mark.integration
def test_extraction_processes_ignore_modules_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started from a folder holding a ``select.py``, the spawned process must still import
    the standard library's ``select`` (it once crashed the worker with BrokenProcessPool)."""
    (tmp_path / "select.py").write_text("raise ImportError('the wrong select')\n")
    monkeypatch.chdir(tmp_path)
    pool = extraction_pool(1)
    assert pool is not None
    try:
        assert len(pool_pids(pool)) == 2  # the extraction process and the resource tracker
        article = Article(id="a", text="Four people were killed in Porto Alegre on Monday.")
        groups = pool.submit(extract_grouped, article).result(timeout=120)
        assert sum(len(ms) for ms in groups.values()) == 1
        for pid in pool_pids(pool):  # the resource tracker imports `select` too
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0]
            assert state != "Z", f"process {pid} died"
    finally:
        pool.shutdown()


def test_an_article_that_does_not_say_when_it_was_received_takes_the_message_time() -> None:
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from streams.app import _message_time
    from streams.pipeline import Pipeline
    from streams.settings import Settings

    pipeline = Pipeline(Settings())
    sent = _message_time(SimpleNamespace(timestamp=1_900_000_000.5))
    assert sent == datetime(2030, 3, 17, 17, 46, 40, 500000, tzinfo=UTC)
    assert _message_time(SimpleNamespace(timestamp=-1)) is None  # a broker without times
    bare = pipeline.parse(b'{"id": "a", "text": "x"}', received_at=sent)
    assert bare.received_at == sent
    own = b'{"id": "a", "text": "x", "received_at": "2030-01-01T00:00:00Z"}'
    assert pipeline.parse(own, received_at=sent).received_at == datetime(2030, 1, 1, tzinfo=UTC)
