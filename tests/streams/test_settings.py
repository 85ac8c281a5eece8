"""Settings: one class, every field described, and the README lists them as they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from streams.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_settings() -> dict[str, tuple[str, str]]:
    text = README.read_text()
    table = text.split("<!-- settings-table:start -->")[1].split("<!-- settings-table:end -->")[0]
    rows = re.findall(r"^\| `(TOLLS_\w+)` \| (.*?) \| (.*?) \|$", table, flags=re.M)
    return {name: (default, meaning) for name, default, meaning in rows}


def test_readme_lists_every_setting_with_its_default_and_description() -> None:
    documented = readme_settings()
    assert set(documented) == {f"TOLLS_{n.upper()}" for n in Settings.model_fields}
    for name, field in Settings.model_fields.items():
        default, meaning = documented[f"TOLLS_{name.upper()}"]
        assert field.description and meaning == field.description, name
        shown = "(none)" if field.default is None else f"`{field.default}`"
        assert default == shown, name


def test_environment_overrides_and_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOLLS_PARTITIONS", "8")
    monkeypatch.setenv("TOLLS_BROKER", "kafka://k:9092")
    s = Settings()
    assert (s.partitions, s.broker) == (8, "kafka://k:9092")
    monkeypatch.setenv("TOLLS_BATCH_SECONDS", "-1")
    with pytest.raises(ValidationError):
        Settings()
