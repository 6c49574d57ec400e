"""Every `git` call of sms-docs, in one place: the repository is found once, git's refusals
are explained once, and nothing a document or a commit contains can reach git as an option.

Plain `git` plumbing: importing a git library cost more than the few calls a check makes.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

_HEX = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")


class HistoryError(Exception):
    """Git refused to read the repository, or a ref given by the user is not one; the
    message says how to fix it."""


@dataclass(frozen=True)
class SourceState:
    """What the working copy is built from: the commit, and what history is missing."""

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


@dataclass(frozen=True)
class Repository:
    """A git work tree holding the library, as git reported it once."""

    toplevel: Path
    git_dir: Path  # the common git folder: what sms-docs keeps goes under it
    state: SourceState

    @property
    def store(self) -> Path:
        return self.git_dir / "sms-docs"

    def prefix(self, root: Path) -> str:
        """`root` as a path inside the work tree, with a trailing slash ("" at the top)."""
        relative = root.resolve().relative_to(self.toplevel).as_posix()
        return "" if relative == "." else relative + "/"

    # -- calls -----------------------------------------------------------------------------

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        done = subprocess.run(_command(self.toplevel, args), capture_output=True)
        if check and done.returncode != 0:
            raise HistoryError(explain(done.stderr.decode("utf-8", "replace")))
        return done

    def stream(self, *args: str) -> subprocess.Popen[bytes]:
        """A long output read as it comes; the caller reads stdout, then calls `finish`."""
        return subprocess.Popen(
            _command(self.toplevel, args), stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    @staticmethod
    def finish(process: subprocess.Popen[bytes]) -> None:
        stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        if process.wait() != 0:
            raise HistoryError(explain(stderr))

    def is_ancestor(self, ancestor: str, commit: str) -> bool:
        return self.run("merge-base", "--is-ancestor", ancestor, commit, check=False).returncode == 0

    def resolve(self, ref: str, what: str) -> str:
        """The commit `ref` names. A ref is data, never an option: `--base=--output=F` must not
        make git write a file, so it goes after --end-of-options and must not start with `-`."""
        if not ref or ref.startswith("-") or any(ord(c) < 32 for c in ref):
            raise HistoryError(f"{what} `{ref}` is not a git ref; give a branch, tag or commit such as origin/main")
        done = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", check=False)
        sha = done.stdout.decode().strip()
        if done.returncode != 0 or not _HEX.match(sha):
            raise HistoryError(
                f"{what} `{ref}` is not a commit in this repository "
                "(in CI, fetch the base branch first, e.g. checkout with fetch-depth: 0)"
            )
        return sha

    def commits_between(self, base: str, head: str = "HEAD") -> set[str]:
        """The commits in `head` that are not in `base` (both already resolved)."""
        return set(self.run("rev-list", f"{base}..{head}").stdout.decode().split())

    def first_parent_chain(self) -> list[str]:
        """HEAD and its first parents, newest first: the commits of the branch itself."""
        return self.run("rev-list", "--first-parent", "HEAD").stdout.decode().split()

    def graph(self) -> dict[str, tuple[str, ...]]:
        """Every commit reachable from HEAD -> its parents."""
        lines = self.run("rev-list", "--parents", "HEAD").stdout.decode().split("\n")
        return {parts[0]: tuple(parts[1:]) for line in lines if (parts := line.split())}

    def signatures(self, shas: Iterable[str]) -> dict[str, tuple[str, str]]:
        """sha -> (git's signature status letter, signer) for the given commits, in one call.
        `G` is a good signature; anything else is not verified evidence."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return {}
        done = subprocess.run(
            _command(self.toplevel, ("log", "--no-walk=unsorted", "--stdin", "-z", "--format=%H%x1f%G?%x1f%GS")),
            input="".join(f"{sha}\n" for sha in wanted).encode(),
            capture_output=True,
        )
        if done.returncode != 0:
            raise HistoryError(explain(done.stderr.decode("utf-8", "replace")))
        result = {}
        for record in done.stdout.decode("utf-8", "replace").split("\0"):
            parts = record.strip("\n").split("\x1f")
            # Only the hash and the status letter are git's own; the signer is shown, never parsed.
            if len(parts) >= 3 and _HEX.match(parts[0]):
                result[parts[0]] = (parts[1], "\x1f".join(parts[2:]))
        return result

    def objects(self, shas: list[str]) -> Iterator[tuple[str, bytes]]:
        """(sha, content) of each object, through one `git cat-file --batch`; a writer thread
        keeps the pipe full while the answers are read."""
        if not shas:
            return
        process = subprocess.Popen(
            _command(self.toplevel, ("cat-file", "--batch")),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdin is not None and process.stdout is not None

        def feed() -> None:
            try:
                process.stdin.write("".join(f"{sha}\n" for sha in shas).encode())  # type: ignore[union-attr]
                process.stdin.close()  # type: ignore[union-attr]
            except BrokenPipeError:
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        out = process.stdout
        try:
            for _ in shas:
                header = out.readline().split()
                if not header:
                    break
                if len(header) < 3 or header[1] == b"missing":
                    continue
                data = out.read(int(header[2]))
                out.read(1)
                yield header[0].decode(), data
        finally:
            out.close()
            writer.join()
            process.wait()


def _command(toplevel: Path, args: Iterable[str]) -> list[str]:
    # Paths are printed raw (no octal quoting) and pathspecs are literal: a library folder
    # named `*` or `:(top)` means that folder, not a pattern.
    return ["git", "-C", str(toplevel), "-c", "core.quotepath=off", "--literal-pathspecs", *args]


def explain(stderr: str) -> str:
    """Git's refusal in words an author can act on."""
    if "dubious ownership" in stderr:
        match = re.search(r"safe\.directory '?([^'\n]+)'?", stderr)
        where = match.group(1).strip() if match else "<repository path>"
        return (
            "git refuses to read this repository because it belongs to another user (\"dubious ownership\"). "
            f"Run the build as the repository's owner, or allow it with: git config --global --add safe.directory {where}"
        )
    first = next((line for line in stderr.strip().splitlines() if line.strip()), "")
    return f"git could not read the repository: {first or 'no reason given'}"


def open_repository(root: Path, watched: Iterable[str] = ()) -> Repository | SourceState:
    """The repository holding `root`, or, where there is none to read, the state saying why
    (no git, no repository, no commit yet) so the library builds without history.

    A repository git refuses (another user's, a broken `.git`) raises HistoryError: that must
    stop a build, not pass for "no history". Uncommitted changes count only under `watched`
    (the library and its configuration), so a built site/ folder is not a change.
    """
    try:
        found = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--path-format=absolute", "--show-toplevel", "--git-common-dir",
             "--is-shallow-repository", "HEAD", "--symbolic-full-name", "HEAD"],
            capture_output=True,
        )
    except OSError:
        return SourceState(notices=("git is not installed: no commit and no history are known.",))
    stderr = found.stderr.decode("utf-8", "replace")
    lines = found.stdout.decode("utf-8", "surrogateescape").split("\n")
    if found.returncode != 0:
        if "dubious ownership" in stderr:
            raise HistoryError(explain(stderr))
        if "not a git repository" in stderr:
            broken = next((folder / ".git" for folder in (root, *root.parents) if (folder / ".git").exists()), None)
            if broken is not None:
                reason = stderr.strip().splitlines()[0] if stderr.strip() else f"exit code {found.returncode}"
                raise HistoryError(
                    f"git cannot read the repository at {broken} ({reason}); repair it (or clone it again), "
                    "or build from a copy without .git to publish without history"
                )
            return SourceState(notices=("This folder is not a git repository: no commit and no history are known.",))
        if len(lines) >= 4 and lines[3] == "HEAD":  # rev-parse echoes a HEAD it cannot resolve
            return SourceState(notices=("The git repository has no commits yet: no history is known.",))
        reason = stderr.strip().splitlines()[0] if stderr.strip() else f"exit code {found.returncode}"
        raise HistoryError(f"git could not read the repository: {reason}")
    toplevel = Path(lines[0]).resolve()
    git_dir = Path(lines[1])
    shallow, commit, detached = lines[2] == "true", lines[3], lines[4] == "HEAD"
    base = Path(root).resolve().relative_to(toplevel)
    paths = [(base / p).as_posix() for p in watched] or [base.as_posix()]
    status = subprocess.run(
        _command(toplevel, ("status", "--porcelain", "--untracked-files=normal", "--", *paths)), capture_output=True
    )
    dirty = status.returncode == 0 and bool(status.stdout.strip())
    return Repository(toplevel, git_dir, SourceState(commit=commit, detached=detached, shallow=shallow, dirty=dirty))


def is_hash(text: str) -> bool:
    return bool(_HEX.match(text))
