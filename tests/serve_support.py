"""A real `mkdocs serve` on a free port of 127.0.0.1, and polling helpers: shared by the
hardening tests and the preview tests (tests/test_preview.py, tests/browser/)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from support import LibraryRepo, subprocess_env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 5) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - a local test server
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def wait_for(condition: Callable[[], bool], timeout: float, interval: float = 0.3) -> bool:
    """Poll `condition` until it holds or `timeout` seconds passed; True when it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ConnectionError):
            if condition():
                return True
        time.sleep(interval)
    return False


@dataclass
class Server:
    process: subprocess.Popen[str]
    base: str
    log_path: Path

    def get(self, path: str) -> tuple[int, str]:
        return fetch(self.base + path.lstrip("/"))

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serving(repo: LibraryRepo, log_path: Path, startup: float = 90, **env: str | None) -> Iterator[Server]:
    """`mkdocs serve` on a free port of 127.0.0.1, stopped (and killed if need be) afterwards;
    `env` as for `subprocess_env`."""
    port = free_port()
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=repo.root,
            env=subprocess_env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}/", log_path)
    try:
        up = wait_for(lambda: process.poll() is None and server.get("")[0] == 200, startup)
        assert up, f"mkdocs serve did not come up on port {port}:\n{server.log[-4000:]}"
        yield server
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
