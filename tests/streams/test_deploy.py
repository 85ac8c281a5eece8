"""docker-compose.yml cannot start here (no Docker engine): check it agrees with the code."""

from __future__ import annotations

from pathlib import Path

import yaml

from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_kafka_runs_in_kraft_mode_and_advertises_what_the_worker_dials() -> None:
    services = compose()["services"]
    assert set(services) == {"kafka", "worker"}
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = kafka["environment"]
    assert "controller" in env["KAFKA_PROCESS_ROLES"] and "broker" in env["KAFKA_PROCESS_ROLES"]
    assert not any("ZOOKEEPER" in k for k in env)
    worker_env = services["worker"]["environment"]
    broker = worker_env["TOLLS_BROKER"].removeprefix("kafka://")
    assert f"PLAINTEXT://{broker}" in env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    assert broker.split(":")[0] == "kafka"


def test_worker_is_configured_only_through_real_settings() -> None:
    worker = compose()["services"]["worker"]
    env = {k: str(v) for k, v in worker["environment"].items()}
    fields = {f"TOLLS_{name.upper()}" for name in Settings.model_fields}
    unknown = set(env) - fields
    assert not unknown, f"not settings: {unknown}"
    # the values parse, and topic names are the ones the code uses by default
    settings = Settings(**{k.removeprefix("TOLLS_").lower(): v for k, v in env.items()})
    defaults = Settings()
    for topic in ("articles_topic", "rejected_topic", "claims_topic"):
        assert getattr(settings, topic) == getattr(defaults, topic)
    assert worker["command"][:2] == ["tolls", "up"]
    port = env["TOLLS_HTTP_PORT"]
    assert any(p.endswith(f":{port}:{port}") for p in worker["ports"])
    assert worker["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_dockerfile_installs_the_package_and_runs_the_worker() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    for folder in ("processors", "streams", "sinks"):
        assert f"COPY {folder} {folder}" in dockerfile
    assert 'CMD ["tolls", "up"]' in dockerfile
