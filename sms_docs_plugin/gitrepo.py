"""What the working copy is built from: the commit, and what history is missing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import git


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


def open_repo(root: Path) -> git.Repo | None:
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def source_state(root: Path, watched: Iterable[str] = ()) -> SourceState:
    """HEAD and what history is missing. Uncommitted changes count only under `watched`
    (the library and its configuration), so a built site/ folder is not a change."""
    repo = open_repo(root)
    if repo is None:
        return SourceState(notices=("This folder is not a git repository: no commit and no history are known.",))
    try:
        commit = repo.head.commit.hexsha
    except ValueError:
        return SourceState(notices=("The git repository has no commits yet: no history is known.",))
    except git.GitCommandError as exc:
        return SourceState(notices=(f"git could not be read: {exc.stderr.strip() or exc}",))
    shallow = (Path(repo.git_dir) / "shallow").exists()
    try:
        paths = [str(root / p) for p in watched] or [str(root)]
        dirty = bool(repo.git.status("--porcelain", "--untracked-files=normal", "--", *paths).strip())
    except git.GitCommandError:
        dirty = False
    return SourceState(commit=commit, detached=repo.head.is_detached, shallow=shallow, dirty=dirty)
