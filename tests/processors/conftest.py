"""Fixtures of the processor tests."""

from __future__ import annotations

import pytest

from processors.extract import Extractor, default_extractor


@pytest.fixture(scope="session")
def ex() -> Extractor:
    """The process-wide extractor (its model and gazetteer load once)."""
    return default_extractor()
