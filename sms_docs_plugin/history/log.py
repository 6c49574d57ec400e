"""One pass over the library's git history: which commits wrote which files.

`git log --raw -z` gives, for each commit, its hash, its parents and the files it changed;
nothing else is taken from the log. Author, dates and message come from the commit objects
themselves, read through `git cat-file --batch` and parsed here: a commit message is data,
and no character in it (U+001E, U+001F, NUL, a forged header) can split or add a commit.
Merge commits are read as combined diffs, so content first written in a merge (a resolved
conflict) belongs to that merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from .git import Repository, is_hash
from .model import Commit

_SYMLINK_MODE = "120000"
_GITLINK_MODE = "160000"  # a submodule: not a document
_IDENT = re.compile(rb"^(?P<name>.*?) ?<(?P<email>[^<>]*)> (?P<time>-?\d+) (?P<tz>[+-]\d{4})$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Change:
    sha: str  # the commit
    status: str  # A, M, D, R (renames), C (copies are adds); merges: M
    old_path: str | None
    new_path: str | None
    new_blob: str | None


@dataclass(frozen=True, slots=True)
class LoggedCommit:
    sha: str
    parents: tuple[str, ...]


def log(repo: Repository, pathspecs: list[str], since: str | None = None) -> tuple[list[LoggedCommit], list[Change]]:
    """Commits (oldest first, topologically) that changed the pathspecs, and their changes."""
    process = repo.stream(
        "log", "--reverse", "--topo-order", "--raw", "-M", "--cc", "--no-abbrev", "-z", "--format=%H %P",
        f"{since}..HEAD" if since else "HEAD", "--", *pathspecs,
    )
    assert process.stdout is not None
    commits: list[LoggedCommit] = []
    changes: list[Change] = []
    tokens = _tokens(process.stdout)
    current: str | None = None
    for token in tokens:
        token = token.lstrip("\n")
        if token.startswith(":"):
            if current is None:
                continue
            changes.extend(_change(current, token, tokens))
        elif token:
            hashes = token.split()
            if hashes and all(is_hash(h) for h in hashes):
                current = hashes[0]
                commits.append(LoggedCommit(current, tuple(hashes[1:])))
    repo.finish(process)
    return commits, changes


def _tokens(stream) -> Iterator[str]:  # noqa: ANN001 - a binary pipe
    """NUL-separated fields as git writes them, decoded one by one: the log of a large
    library decoded and split at once took more memory than everything read from it."""
    pending = b""
    for chunk in iter(lambda: stream.read1(1 << 20), b""):
        *done, pending = (pending + chunk).split(b"\0")
        for token in done:
            yield token.decode("utf-8", "surrogateescape")
    if pending:
        yield pending.decode("utf-8", "surrogateescape")


def _change(sha: str, meta: str, tokens: Iterator[str]) -> Iterator[Change]:
    """One `--raw` entry: `:mode mode old new STATUS` then its path(s) as the next tokens.
    A merge's combined entry has one colon per parent and one path."""
    parents = len(meta) - len(meta.lstrip(":"))
    fields = meta[parents:].split()
    if parents > 1:
        # ::mode1 mode2 mode_result sha1 sha2 sha_result STATUSES
        path = next(tokens, None)
        if path is None or len(fields) < 2 * (parents + 1) + 1:
            return
        new_mode, new_blob, statuses = fields[parents], fields[2 * parents + 1], fields[-1]
        if new_mode in (_SYMLINK_MODE, _GITLINK_MODE) and "D" not in statuses:
            return
        if "D" in statuses and set(new_blob) == {"0"}:
            yield Change(sha, "D", path, None, None)
        else:
            yield Change(sha, "M", path, path, new_blob)
        return
    if len(fields) < 5:
        return
    new_mode, new_blob, status = fields[1], fields[3], fields[4][:1]
    if status in ("R", "C"):
        old_path, new_path = next(tokens, None), next(tokens, None)
    else:
        old_path = new_path = next(tokens, None)
    if old_path is None or new_path is None:
        return
    if new_mode in (_SYMLINK_MODE, _GITLINK_MODE) and status != "D":
        # A symbolic link's blob is the target's path, and a submodule is another repository:
        # neither is a document.
        if status == "R":
            yield Change(sha, "D", old_path, None, None)
        return
    if status == "D":
        yield Change(sha, "D", old_path, None, None)
    elif status == "R":
        yield Change(sha, "R", old_path, new_path, new_blob)
    elif status == "C" or status == "A":
        yield Change(sha, "A", None, new_path, new_blob)
    else:
        yield Change(sha, "M", old_path, new_path, new_blob)


def parse_commit(sha: str, raw: bytes, position: int) -> Commit:
    """A commit object as git stores it: headers, a blank line, the message."""
    head, _, message = raw.partition(b"\n\n")
    parents: list[str] = []
    author = committer = (b"", b"", _EPOCH)
    encoding = "utf-8"
    signed = False
    for line in head.split(b"\n"):
        if line.startswith(b" "):
            continue  # continuation of a multi-line header (a signature)
        name, _, value = line.partition(b" ")
        if name == b"parent":
            parents.append(value.decode("ascii", "replace"))
        elif name == b"author":
            author = _ident(value)
        elif name == b"committer":
            committer = _ident(value)
        elif name == b"encoding":
            encoding = value.decode("ascii", "replace").strip() or "utf-8"
        elif name in (b"gpgsig", b"gpgsig-sha256"):
            signed = True
    text = _decode(message, encoding).strip("\n")
    subject, _, body = text.partition("\n\n")
    return Commit(
        sha=sha,
        parents=tuple(parents),
        author=_decode(author[0], encoding),
        email=_decode(author[1], encoding),
        authored=author[2],
        committed=committer[2],
        subject=" ".join(subject.split("\n")),
        body=body.strip(),
        position=position,
        signed=signed,
    )


def _ident(value: bytes) -> tuple[bytes, bytes, datetime]:
    match = _IDENT.match(value)
    if match is None:
        return value, b"", _EPOCH
    tz = match.group("tz")
    offset = timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])) * (-1 if tz[:1] == b"-" else 1)
    try:
        when = datetime.fromtimestamp(int(match.group("time")), timezone(offset))
    except (OverflowError, OSError, ValueError):
        when = _EPOCH
    return match.group("name"), match.group("email"), when


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding, "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


def read_commits(repo: Repository, logged: list[LoggedCommit], first_position: int = 0) -> list[Commit]:
    """The commit objects of `logged`, in that order, positions counted on from `first_position`."""
    raw = dict(repo.objects([c.sha for c in logged]))
    return [
        parse_commit(c.sha, raw.get(c.sha, b""), first_position + index) for index, c in enumerate(logged)
    ]
