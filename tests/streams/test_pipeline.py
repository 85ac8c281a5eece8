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
