"""What sms-docs keeps between runs in the repository's git folder, under `sms-docs/`:
parsed documents and history, so a check or a rebuild redoes only what changed.

Everything kept is derived from the repository and from this package's code, so it is
stamped with a fingerprint of the code and thrown away when the code changes. A
repository that cannot be written to, or is not a git repository, just keeps nothing.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def code_fingerprint() -> str:
    """Changes whenever a module of this package changes (an upgrade, or a developer's edit)."""
    digest = hashlib.sha1()
    for path in sorted(_PACKAGE.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(_PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def folder(root: Path) -> Path | None:
    """`<git folder>/sms-docs` of the repository holding `root`, or None outside git."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--path-format=absolute", "--git-common-dir"],
            capture_output=True,
            text=True,
        )
    except OSError:
        return None
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return Path(result.stdout.strip()) / "sms-docs"


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(path: Path, data: bytes) -> None:
    """Replace the file in one step, so a concurrent reader sees the old or the new one."""
    try:
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_suffix(f".tmp{os.getpid()}")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only repository works; it just recomputes each time
