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
    assert set(services) == {"kafka", "sink", "worker"}
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = kafka["environment"]
    assert "controller" in env["KAFKA_PROCESS_ROLES"] and "broker" in env["KAFKA_PROCESS_ROLES"]
    assert not any("ZOOKEEPER" in k for k in env)
    for name in ("sink", "worker"):
        broker = services[name]["environment"]["TOLLS_BROKER"].removeprefix("kafka://")
        assert f"PLAINTEXT://{broker}" in env["KAFKA_ADVERTISED_LISTENERS"].split(",")
        assert broker.split(":")[0] == "kafka"


def settings_of(service: dict) -> Settings:
    env = {k: str(v) for k, v in service["environment"].items()}
    fields = {f"TOLLS_{name.upper()}" for name in Settings.model_fields}
    unknown = set(env) - fields
    assert not unknown, f"not settings: {unknown}"
    return Settings(**{k.removeprefix("TOLLS_").lower(): v for k, v in env.items()})


def test_two_workers_and_a_sink_configured_only_through_real_settings() -> None:
    services = compose()["services"]
    sink, worker = settings_of(services["sink"]), settings_of(services["worker"])
    assert (sink.role, worker.role) == ("sink", "worker")
    assert services["worker"]["deploy"]["replicas"] == 2
    # they agree on the topics, which are the ones the code uses by default
    defaults = Settings()
    for topic in ("articles_topic", "rejected_topic", "claims_topic", "partitions"):
        assert getattr(sink, topic) == getattr(worker, topic) == getattr(defaults, topic)
    for service in services["sink"], services["worker"]:
        assert service["command"][:2] == ["tolls", "up"]
        assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
    # the sink's endpoint is published (with a token: it listens beyond loopback) ...
    port = sink.http_port
    assert any(p.endswith(f":{port}:{port}") for p in services["sink"]["ports"])
    assert "TOLLS_HTTP_TOKEN" in services["sink"]["environment"]
    # ... the workers keep theirs on loopback, and keep no shared volume (no tables)
    assert worker.http_host == "127.0.0.1" and "volumes" not in services["worker"]


def test_dockerfile_installs_the_package_and_runs_the_worker() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    for folder in ("processors", "streams", "sinks"):
        assert f"COPY {folder} {folder}" in dockerfile
    assert 'CMD ["tolls", "up"]' in dockerfile
