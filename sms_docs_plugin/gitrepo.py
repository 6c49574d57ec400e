"""What the working copy is built from: the commit, and what history is missing."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SourceState:
    commit: str | None = None  # full hash of HEAD
    detached: bool = False
    shallow: bool = False
    dirty: bool = False
    notices: tuple[str, ...] = field(default_factory=tuple)

    @property
    def short(self) -> str:
        return self.commit[:12] if self.commit else "unknown"

    @property
    def note(self) -> str:
        parts = []
        if self.dirty:
            parts.append("with uncommitted changes")
        if self.detached:
            parts.append("detached HEAD")
        if self.shallow:
            parts.append("shallow clone")
        return ", ".join(parts)


def access_problem(root: Path) -> str | None:
    """Why git refuses the repository holding `root`, or None when git reads it (or there is
    none: a folder without `.git` builds without history). A repository owned by another user
    ("dubious ownership") or a broken `.git` must stop a build, not pass for "no history"."""
    try:
        result = subprocess.run(["git", "-C", str(root), "rev-parse", "--git-dir"], capture_output=True, text=True)
    except OSError:
        return None
    if result.returncode == 0:
        return None
    stderr = result.stderr.strip()
    if "dubious ownership" in stderr:
        match = re.search(r"safe\.directory '?([^'\n]+)'?", stderr)
        where = match.group(1).strip() if match else str(root)
        return (
            "git refuses to read this repository because it belongs to another user (\"dubious ownership\"). "
            f"Run the build as the repository's owner, or allow it with: git config --global --add safe.directory {where}"
        )
    broken = next((folder / ".git" for folder in (root, *root.parents) if (folder / ".git").exists()), None)
    if broken is None:
        return None
    reason = stderr.splitlines()[0] if stderr else f"exit code {result.returncode}"
    return (
        f"git cannot read the repository at {broken} ({reason}); repair it (or clone it again), "
        "or build from a copy without .git to publish without history"
    )


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def source_state(root: Path, watched: Iterable[str] = ()) -> SourceState:
    """HEAD and what history is missing. Uncommitted changes count only under `watched`
    (the library and its configuration), so a built site/ folder is not a change.

    Plain `git` calls: every check runs this, and importing a git library would cost more
    than the three calls."""
    try:
        found = _git(root, "rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD")
    except OSError:
        return SourceState(notices=("git is not installed: no commit and no history are known.",))
    lines = found.stdout.split("\n")
    if found.returncode != 0:
        if "not a git repository" in found.stderr:
            return SourceState(notices=("This folder is not a git repository: no commit and no history are known.",))
        if len(lines) >= 3 and lines[2] == "HEAD":  # rev-parse echoes a HEAD it cannot resolve
            return SourceState(notices=("The git repository has no commits yet: no history is known.",))
        reason = found.stderr.strip().splitlines()[0] if found.stderr.strip() else f"exit code {found.returncode}"
        return SourceState(notices=(f"git could not be read: {reason}",))
    toplevel, shallow, commit = lines[0], lines[1] == "true", lines[2]
    detached = _git(root, "symbolic-ref", "-q", "HEAD").returncode != 0
    base = Path(root).resolve().relative_to(Path(toplevel).resolve())
    paths = [(base / p).as_posix() for p in watched] or [base.as_posix()]
    status = _git(Path(toplevel), "status", "--porcelain", "--untracked-files=normal", "--", *paths)
    dirty = status.returncode == 0 and bool(status.stdout.strip())
    return SourceState(commit=commit, detached=detached, shallow=shallow, dirty=dirty)
