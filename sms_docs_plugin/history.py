"""The library's git history in one pass: every document's revisions and versions.

One `git log --raw -M` over the library folders lists every commit and the blobs it
wrote; one `git cat-file --batch` reads those blobs. Renames are followed in the same
pass. Nothing here runs git once per file.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from . import store
from .frontmatter import decode
from .gitrepo import SourceState, source_state
from .model import Document, Version

_RECORD = "\x1e"
_RECORD_BYTES = _RECORD.encode()
_UNIT = "\x1f"
_FORMAT = _RECORD + _UNIT.join(["%H", "%P", "%an", "%ae", "%aI", "%cI", "%s", "%b"]) + _UNIT
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$")
_FENCE_BYTES = re.compile(rb"---[ \t]*\n")
_CLOSING_BYTES = re.compile(rb"^(?:---|\.\.\.)[ \t]*$", re.M)
_CACHE_FILE = "sms-docs/blobs-v3.marshal"
_HISTORY_FILE = "sms-docs/history-v2.marshal"
_SYMLINK_MODE = "120000"
# The fields history needs; the rest of an old version is read with its full text when shown.
_UNIQUE_FIELDS = ("change", "title")
KEPT_FIELDS = ("id", "version", "status", "title", "owner", "approver", "approved", "effective", "review", "change")
_FIELD_INDEX = {name: index for index, name in enumerate(KEPT_FIELDS)}
_VERSION, _STATUS = _FIELD_INDEX["version"], _FIELD_INDEX["status"]


class HistoryError(Exception):
    """Git refused to read the repository; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    authored: datetime
    committed: datetime
    subject: str
    body: str
    position: int  # order in the pass, oldest first; later commits have larger positions

    @property
    def short(self) -> str:
        return self.sha[:10]

    @property
    def message(self) -> str:
        return f"{self.subject}\n\n{self.body}".strip()


@dataclass(slots=True)
class Revision:
    """One state of one document: a commit that wrote it, or the uncommitted working tree.

    Slots and a tuple of values rather than a dict: a library's history holds tens of
    thousands of revisions, and this halves the memory they take."""

    commit: Commit | None  # None for the working tree
    path: str
    blob: str
    values: tuple[str, ...]  # the KEPT_FIELDS, in that order
    content_key: str  # hash of everything but `review`: equal keys mean "no change"
    irregular: str = ""  # why this revision broke the versioning rules, if it did
    version: str = field(init=False)
    status: str = field(init=False)

    def __post_init__(self) -> None:
        # Read hundreds of thousands of times while grouping versions: plain attributes.
        self.version = self.values[_VERSION]
        self.status = self.values[_STATUS]

    @property
    def fields(self) -> dict[str, str]:
        return dict(zip(KEPT_FIELDS, self.values, strict=True))

    @property
    def version_key(self) -> Version | None:
        return Version.parse(self.version) if self.version else None

    def field_text(self, name: str) -> str:
        index = _FIELD_INDEX.get(name)
        return self.values[index] if index is not None else ""

    @property
    def position(self) -> int:
        return self.commit.position if self.commit else 1 << 60

    @property
    def label(self) -> str:
        return self.commit.short if self.commit else "working tree"


@dataclass
class VersionRecord:
    """A version of a document: its revisions, the last of which set the version number."""

    revisions: list[Revision]
    reviews: list[Revision] = field(default_factory=list)  # review-only commits after it

    @property
    def head(self) -> Revision:
        return self.revisions[-1]

    @property
    def version(self) -> str:
        return self.head.version

    @property
    def irregular(self) -> list[Revision]:
        return [r for r in self.revisions if r.irregular]

    @property
    def authors(self) -> list[str]:
        names: list[str] = []
        for revision in self.revisions:
            if revision.commit and revision.commit.author not in names:
                names.append(revision.commit.author)
        return names

    @property
    def date(self) -> datetime | None:
        return self.head.commit.committed if self.head.commit else None


@dataclass
class DocHistory:
    path: str  # current path
    revisions: list[Revision] = field(default_factory=list)  # oldest first, review-only included
    deleted: bool = False

    @property
    def committed(self) -> list[Revision]:
        return [r for r in self.revisions if r.commit is not None]

    def versions(self) -> list[VersionRecord]:
        """Group revisions into versions.

        A version starts where `version` changed or the document appeared. Edits of the same
        number while it was a draft are its drafting and approval. Edits of an approved
        version without a new number are irregular; they fold into the next version, or stay
        at the end of the current one when no new version followed yet.
        """
        records: list[VersionRecord] = []
        pending: list[Revision] = []
        previous: Revision | None = None
        for revision in self.revisions:
            revision.irregular = ""
            if previous is not None and revision.content_key == previous.content_key:
                (pending if pending else records[-1].reviews).append(revision)
            elif not records or revision.version != records[-1].version:
                records.append(VersionRecord(pending + [revision]))
                pending = []
            elif previous is not None and previous.status == "approved" and revision.status != "retired":
                revision.irregular = f"changed approved version {revision.version} without a new version"
                pending.append(revision)
            elif pending:
                pending.append(revision)
            else:
                records[-1].revisions.append(revision)
            previous = revision
        if pending:
            records[-1].revisions.extend(pending)
        self._mark_dips(records)
        return records

    @staticmethod
    def _mark_dips(records: list[VersionRecord]) -> None:
        highest: Version | None = None
        for record in records:
            key = record.head.version_key
            if key is None:
                continue
            if highest is not None and key <= highest:
                first = next(r for r in record.revisions if r.version == record.version)
                first.irregular = f"version {record.version} is not above the earlier version {highest}"
            highest = key if highest is None or key > highest else highest


@dataclass
class LibraryHistory:
    root: Path
    state: SourceState
    commits: list[Commit] = field(default_factory=list)
    documents: dict[str, DocHistory] = field(default_factory=dict)  # current path -> history
    removed: list[DocHistory] = field(default_factory=list)  # deleted from the library
    notices: list[str] = field(default_factory=list)
    available: bool = False
    _texts: dict[str, str] = field(default_factory=dict, repr=False)

    def all_lineages(self) -> list[DocHistory]:
        """Every document ever in the library, deleted ones included."""
        return list(self.documents.values()) + self.removed

    def for_path(self, path: str) -> DocHistory | None:
        return self.documents.get(path)

    def moved_here(self, doc: Document) -> DocHistory | None:
        """The history of a document moved in the working tree but not yet committed."""
        if not doc.key:
            return None
        for lineage in self.documents.values():
            if _doc_id(lineage).casefold() == doc.key and not (self.root / lineage.path).exists():
                return lineage
        return None

    def prefetch(self, revisions: Iterable[Revision]) -> None:
        """Read the full texts of many revisions in one batch (past versions and diffs)."""
        # In the order of the commits: git inflates a blob from the deltas of its neighbours in
        # the pack, and one document's versions in a row defeat its cache (7x slower here).
        committed = sorted((r for r in revisions if r.commit is not None), key=lambda r: r.position)
        wanted = [r.blob for r in committed if r.blob not in self._texts]
        for sha, raw in _read_blobs(self.root, list(dict.fromkeys(wanted))):
            text, _, _ = decode(raw)
            self._texts[sha] = text or ""

    def forget_texts(self) -> None:
        self._texts.clear()

    def text_of(self, revision: Revision) -> str:
        """The full text of a revision: prefetched, or read on demand."""
        if revision.blob not in self._texts:
            self.prefetch([revision])
        return self._texts.get(revision.blob, "")


def parse_blob(raw: bytes) -> tuple[tuple[str, ...], str]:
    """Fields and content key of a document's bytes, as fast as Python allows: only the
    front matter is decoded; the body is hashed as bytes."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    match = _FENCE_BYTES.match(raw)
    closing = _CLOSING_BYTES.search(raw, match.end()) if match else None
    if closing is None:
        return _EMPTY, hashlib.sha1(raw).hexdigest()
    front = raw[match.end() : closing.start()].decode("utf-8", "surrogateescape")  # type: ignore[union-attr]
    kept = "\n".join(line for line in front.split("\n") if not line.startswith("review:"))
    digest = hashlib.sha1(kept.encode("utf-8", "surrogateescape"))
    digest.update(b"\n---\n")
    digest.update(raw[closing.end() + 1 :])
    fields = scan_fields(front)
    # Interned, repeated values (roles, statuses, numbers) are stored once in the cache file.
    values = tuple(_text(fields.get(name)) if name in _UNIQUE_FIELDS else sys.intern(_text(fields.get(name))) for name in KEPT_FIELDS)
    return values, digest.hexdigest()


_EMPTY = ("",) * len(KEPT_FIELDS)


def _text(value: object) -> str:
    if value is None:
        return ""
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def content_key(text: str) -> str:
    """Hash of a document without its `review` line: equal keys mean a review-only change."""
    return parse_blob(text.encode("utf-8", "surrogateescape"))[1]


def scan_fields(front_matter: str) -> dict[str, object]:
    """The top-level scalar and list fields of front matter, without a YAML parser.

    History reads tens of thousands of old blobs; a line scanner is many times faster than
    YAML and handles how front matter is written in practice (`key: value`, `[a, b]`,
    `- item` lists, quoted strings, folded text).
    """
    fields: dict[str, object] = {}
    lines = front_matter.split("\n")
    index = 0
    while index < len(lines):
        match = _KEY_LINE.match(lines[index])
        index += 1
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if value.startswith("#"):
            value = ""
        continuation = []
        while index < len(lines) and (lines[index].startswith((" ", "\t")) or not lines[index].strip()):
            if lines[index].strip():
                continuation.append(lines[index].strip())
            index += 1
        if value in ("", ">", "|", ">-", "|-") and continuation:
            if all(item.startswith("- ") or item == "-" for item in continuation):
                fields[key] = [_unquote(item[1:].strip()) for item in continuation]
            else:
                fields[key] = " ".join(continuation)
        elif value.startswith("[") and value.endswith("]"):
            fields[key] = [_unquote(item.strip()) for item in value[1:-1].split(",") if item.strip()]
        else:
            fields[key] = _unquote(" ".join([value, *continuation]).strip())
    return fields


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")  # YAML single quotes escape a quote by doubling it
    if len(value) >= 2 and value[0] == value[-1] == '"':
        if "\\" in value:  # backslash escapes (\" \\ \n ...): let YAML decode them, as the loader does
            try:
                loaded = yaml.safe_load(value)
            except yaml.YAMLError:
                loaded = None
            if isinstance(loaded, str):
                return loaded
        return value[1:-1]
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    return value


def revision_from_text(text: str, commit: Commit | None, path: str, blob: str) -> Revision:
    values, key = parse_blob(text.encode("utf-8", "surrogateescape"))
    return Revision(commit=commit, path=path, blob=blob, values=values, content_key=key)


# ---------------------------------------------------------------------------------------
# Reading: one log pass, one batch of blobs, cached by HEAD for `mkdocs serve` rebuilds.

_CACHE: dict[tuple[str, str, tuple[str, ...]], LibraryHistory] = {}


def read_history(root: Path, folders: Iterable[str]) -> LibraryHistory:
    """The history of every document under `folders` (paths relative to `root`)."""
    folders = tuple(sorted(folders))
    state = source_state(root, [*folders, "mkdocs.yml"])
    history = LibraryHistory(root=root, state=state, notices=list(state.notices))
    if state.commit is None:
        return history
    toplevel, git_dir = _toplevel(root)
    key = (str(toplevel), state.commit, folders)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    prefix = root.resolve().relative_to(toplevel).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    stored = _StoredHistory(git_dir, (folders, prefix, _shallow_marker(git_dir)))
    base = stored.load()
    if base is not None and base.head == state.commit:
        history.commits, history.documents, history.removed = base.commits, base.documents, base.removed
    else:
        pathspecs = [prefix + folder for folder in folders]
        if base is not None and _is_ancestor(toplevel, base.head, state.commit):
            # A few commits on top of a history already read: log and parse only those.
            # They follow every earlier commit, as in a full topological pass.
            commits, changes = _log(toplevel, pathspecs, since=base.head, first_position=len(base.commits))
            wanted = list(dict.fromkeys(c.new_blob for c in changes if c.new_blob))
            parsed = {sha: parse_blob(raw) for sha, raw in _read_blobs(toplevel, wanted)}
            live = {prefix + path: lineage for path, lineage in base.documents.items()}
            history.commits = base.commits + commits
            history.documents, history.removed = _lineages(changes, parsed, prefix, live, base.removed)
        else:
            commits, changes = _log(toplevel, pathspecs)
            blobs = _BlobCache(git_dir)
            missing = [sha for sha in dict.fromkeys(c.new_blob for c in changes if c.new_blob) if sha not in blobs.entries]
            for sha, raw in _read_blobs(toplevel, missing):
                blobs.entries[sha] = parse_blob(raw)
            if missing:
                blobs.save()
            history.commits = commits
            history.documents, history.removed = _lineages(changes, blobs.entries, prefix)
            del blobs, changes  # before the store is written: the peak memory of a first read
        stored.save(state.commit, history)
    history.available = True
    if state.shallow:
        oldest = history.commits[0].committed.date().isoformat() if history.commits else "unknown"
        history.notices.append(
            f"This is a shallow clone: history before {oldest} is missing, so earlier versions are not shown. "
            "Fetch the full history with `git fetch --unshallow` (in CI: checkout with fetch-depth: 0)."
        )
    if state.detached:
        history.notices.append("HEAD is detached: the history shown is that of the checked-out commit.")
    _CACHE.clear()  # one library per process in practice; keep memory bounded
    _CACHE[key] = history
    return history


def _shallow_marker(git_dir: Path) -> str:
    """Which commits a shallow clone is cut at: deepening it changes the history of the same HEAD."""
    try:
        return (git_dir / "shallow").read_text()
    except OSError:
        return ""


def _is_ancestor(toplevel: Path, ancestor: str, commit: str) -> bool:
    result = subprocess.run(
        ["git", "-C", str(toplevel), "merge-base", "--is-ancestor", ancestor, commit], capture_output=True
    )
    return result.returncode == 0


@dataclass(frozen=True, slots=True)
class _Change:
    commit: Commit
    status: str  # A, M, D, R, T
    old_path: str | None
    new_path: str | None
    new_blob: str | None


def _git(toplevel: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["git", "-C", str(toplevel), "-c", "core.quotepath=off", *args],
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _toplevel(root: Path) -> tuple[Path, Path]:
    """The work tree's top folder and the repository's git folder."""
    result = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--show-toplevel", "--git-common-dir"], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise HistoryError(_explain(result.stderr))
    top, git_dir = result.stdout.strip().split("\n")[:2]
    toplevel = Path(top).resolve()
    return toplevel, (toplevel / git_dir).resolve() if not Path(git_dir).is_absolute() else Path(git_dir)


@dataclass
class _Stored:
    head: str
    commits: list[Commit]
    documents: dict[str, DocHistory]
    removed: list[DocHistory]


class _StoredHistory:
    """The history read for the last HEAD, kept in the git folder: a check run again on the
    same commit (a pre-commit hook, a rebuild) skips the log pass, and a later commit reads
    only the commits added since. Plain tuples in marshal: several times faster than pickling
    the objects, for tens of thousands of revisions."""

    def __init__(self, git_dir: Path, key: tuple[object, ...]) -> None:
        self.path = git_dir / _HISTORY_FILE
        # As marshal gives it back (tuples, lists), and void when the code that parsed it changes.
        self.key = marshal.loads(marshal.dumps((store.code_fingerprint(), *key)))
        # What load() read, to write back unchanged when a few commits were added on top.
        self.loaded: tuple[list[Commit], list[tuple], dict[int, tuple]] = ([], [], {})

    def load(self) -> _Stored | None:
        try:
            # loads() of the whole file: marshal.load() on a file object reads it in small pieces, 4-6x slower.
            key, head, raw_commits, raw_documents, raw_removed = marshal.loads(store.read(self.path) or b"")
            if key != self.key:
                return None
            commits = [
                Commit(sha, tuple(parents), author, email, datetime.fromisoformat(authored),
                       datetime.fromisoformat(committed), subject, body, position)
                for position, (sha, parents, author, email, authored, committed, subject, body) in enumerate(raw_commits)
            ]
            raw_lineages = {}
            documents = {}
            for raw in raw_documents:
                lineage = self._lineage(raw, commits)
                documents[lineage.path] = lineage
                raw_lineages[id(lineage)] = raw
            removed = []
            for raw in raw_removed:
                removed.append(lineage := self._lineage(raw, commits))
                raw_lineages[id(lineage)] = raw
        except (OSError, EOFError, ValueError, TypeError, IndexError):
            return None
        self.loaded = (commits, raw_commits, raw_lineages)
        return _Stored(head, commits, documents, removed)

    @staticmethod
    def _lineage(raw: tuple, commits: list[Commit]) -> DocHistory:
        path, deleted, revisions = raw
        return DocHistory(
            path,
            [
                Revision(commits[position], revision_path, blob, tuple(values), key)
                for position, revision_path, blob, values, key in revisions
            ],
            deleted,
        )

    def save(self, head: str, history: LibraryHistory) -> None:
        # marshal writes an object it has seen once as a reference: one object per distinct
        # path, title or change text keeps the file small and quick to load.
        keep = {}.setdefault
        loaded_commits, raw_commits, raw_lineages = self.loaded

        def lineage(doc: DocHistory) -> tuple:
            raw = raw_lineages.get(id(doc))
            if raw is not None and (raw[0], raw[1], len(raw[2])) == (doc.path, doc.deleted, len(doc.revisions)):
                return raw  # untouched by the commits since
            return (
                doc.path,
                doc.deleted,
                [
                    (r.position, keep(r.path, r.path), r.blob, tuple(map(keep, r.values, r.values)), r.content_key)
                    for r in doc.revisions
                    if r.commit is not None
                ],
            )

        known = len(loaded_commits)
        reused = known and len(history.commits) >= known and history.commits[known - 1] is loaded_commits[-1]
        commits = list(raw_commits) if reused else []
        commits += [
            (c.sha, c.parents, c.author, c.email, c.authored.isoformat(), c.committed.isoformat(), c.subject, c.body)
            for c in history.commits[len(commits) :]
        ]
        payload = (self.key, head, commits, [lineage(d) for d in history.documents.values()], [lineage(d) for d in history.removed])
        store.write(self.path, marshal.dumps(payload))


class _BlobCache:
    """Parsed blobs by id, kept in the git folder between runs: a blob never changes, so an
    entry never goes stale, and a rebuild reads only the blobs new commits added."""

    def __init__(self, git_dir: Path) -> None:
        self.path = git_dir / _CACHE_FILE
        self.entries: dict[str, tuple[tuple[str, ...], str]] = {}
        try:
            fingerprint, entries = marshal.loads(store.read(self.path) or b"")
            if fingerprint == store.code_fingerprint() and isinstance(entries, dict):
                self.entries = entries
        except (EOFError, ValueError, TypeError):
            self.entries = {}

    def save(self) -> None:
        store.write(self.path, marshal.dumps((store.code_fingerprint(), self.entries)))


def _explain(stderr: str) -> str:
    if "dubious ownership" in stderr:
        match = re.search(r"safe\.directory '?([^'\n]+)'?", stderr)
        where = match.group(1).strip() if match else "<repository path>"
        return (
            "git refuses to read this repository because it belongs to another user (\"dubious ownership\"). "
            f"Run the build as the repository's owner, or allow it with: git config --global --add safe.directory {where}"
        )
    return f"git could not read the repository: {stderr.strip()}"


def _log(
    toplevel: Path, pathspecs: list[str], since: str | None = None, first_position: int = 0
) -> tuple[list[Commit], list[_Change]]:
    process = _git(
        toplevel, "log", "--reverse", "--topo-order", "--raw", "-M", "--no-abbrev", "-z",
        f"--format={_FORMAT}", f"{since}..HEAD" if since else "HEAD", "--", *pathspecs,
    )
    assert process.stdout is not None
    commits: list[Commit] = []
    changes: list[_Change] = []

    def parse(record: bytes) -> None:
        parts = record.decode("utf-8", "surrogateescape").split(_UNIT)
        sha, parents, author, email, authored, committed, subject, body = parts[:8]
        commit = Commit(
            sha=sha,
            parents=tuple(parents.split()),
            author=author,
            email=email,
            authored=datetime.fromisoformat(authored),
            committed=datetime.fromisoformat(committed),
            subject=subject,
            body=body.strip(),
            position=first_position + len(commits),
        )
        commits.append(commit)
        changes.extend(_raw_changes(commit, _UNIT.join(parts[8:])))

    # Commit by commit as git writes them: the whole log of a large library, decoded and
    # split at once, took more memory than everything read from it.
    pending = b""
    for chunk in iter(lambda: process.stdout.read1(1 << 20), b""):  # type: ignore[union-attr]
        *records, pending = (pending + chunk).split(_RECORD_BYTES)
        for record in records:
            if record:
                parse(record)
    if pending:
        parse(pending)
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.wait() != 0:
        raise HistoryError(_explain(stderr))
    return commits, changes


def _raw_changes(commit: Commit, raw: str) -> Iterator[_Change]:
    """Parse `--raw -z` entries: ':mode mode old new STATUS\\0path\\0[path\\0]'."""
    fields = raw.lstrip("\n\0").split("\0")
    index = 0
    while index < len(fields):
        head = fields[index].strip("\n")
        index += 1
        if not head.startswith(":"):
            continue
        meta = head[1:].split()
        if len(meta) < 5:
            continue
        new_mode, new_blob, status = meta[1], meta[3], meta[4][0]
        if status in "RC":
            old_path, new_path = fields[index], fields[index + 1]
            index += 2
        else:
            old_path = new_path = fields[index]
            index += 1
        if new_mode == _SYMLINK_MODE and status != "D":
            # A symbolic link's blob is the target's path, not a document: its history is its target's.
            continue
        if status == "D":
            yield _Change(commit, "D", old_path, None, None)
        elif status == "R":
            yield _Change(commit, "R", old_path, new_path, new_blob)
        elif status == "C":
            yield _Change(commit, "A", None, new_path, new_blob)
        else:
            yield _Change(commit, status, old_path if status != "A" else None, new_path, new_blob)


def _read_blobs(toplevel: Path, shas: list[str]) -> Iterator[tuple[str, bytes]]:
    """Stream blobs through one `git cat-file --batch`; a writer thread keeps the pipe full."""
    if not shas:
        return
    process = _git(toplevel, "cat-file", "--batch")
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
    for _ in shas:
        header = out.readline().split()
        if len(header) < 2 or header[1] == b"missing":
            continue
        size = int(header[2])
        data = out.read(size)
        out.read(1)
        yield header[0].decode(), data
    writer.join()
    process.wait()


def _lineages(
    changes: list[_Change],
    parsed: dict[str, tuple[tuple[str, ...], str]],
    prefix: str,
    live: dict[str, DocHistory] | None = None,
    gone: list[DocHistory] | None = None,
) -> tuple[dict[str, DocHistory], list[DocHistory]]:
    """Follow each file through adds, edits, renames and deletes to its current path,
    from nothing or from `live` (full path -> lineage) and `gone` as an earlier pass left them."""
    live = live if live is not None else {}
    gone = gone if gone is not None else []
    by_commit: dict[str, list[_Change]] = {}
    order: list[str] = []
    for change in changes:
        if change.commit.sha not in by_commit:
            order.append(change.commit.sha)
        by_commit.setdefault(change.commit.sha, []).append(change)
    for sha in order:
        batch = by_commit[sha]
        deleted_here: dict[str, DocHistory] = {}
        for change in batch:
            if change.status == "D" and change.old_path in live:
                lineage = live.pop(change.old_path)
                lineage.deleted = True
                deleted_here[_doc_id(lineage)] = lineage
                gone.append(lineage)
        for change in batch:
            if change.status == "D" or change.new_path is None or change.new_blob is None:
                continue
            if change.status == "R" and change.old_path in live:
                lineage = live.pop(change.old_path)
            elif change.status in "MT" and change.new_path in live:
                lineage = live[change.new_path]
            else:
                base_values = parsed.get(change.new_blob, (_EMPTY, ""))[0]
                # A file deleted and re-added with the same id in one commit is a move git missed.
                lineage = deleted_here.pop(base_values[0], None) or DocHistory(change.new_path)
                if lineage in gone:
                    gone.remove(lineage)
                    lineage.deleted = False
            lineage.path = change.new_path
            live[change.new_path] = lineage
            values, key = parsed.get(change.new_blob, (_EMPTY, change.new_blob))
            path = change.new_path[len(prefix):] if change.new_path.startswith(prefix) else change.new_path
            lineage.revisions.append(Revision(change.commit, path, change.new_blob, values, key))
    result = {}
    for path, lineage in live.items():
        current = path[len(prefix):] if path.startswith(prefix) else path
        lineage.path = current
        result[current] = lineage
    return result, gone


def _doc_id(lineage: DocHistory) -> str:
    return lineage.revisions[-1].field_text("id") if lineage.revisions else ""


def commits_since(root: Path, base_ref: str) -> set[str]:
    """The commits of a pull request: those in HEAD that are not in `base_ref`."""
    result = subprocess.run(
        ["git", "-C", str(root), "rev-list", f"{base_ref}..HEAD"], capture_output=True, text=True
    )
    if result.returncode != 0:
        if "dubious ownership" in result.stderr:
            raise HistoryError(_explain(result.stderr))
        raise HistoryError(
            f"`--base {base_ref}` is not a git ref here: {result.stderr.strip().splitlines()[0] if result.stderr.strip() else ''} "
            "(in CI, fetch the base branch first, e.g. checkout with fetch-depth: 0)"
        )
    return set(result.stdout.split())


def with_working_tree(history: DocHistory | None, doc: Document) -> DocHistory:
    """The document's history plus its uncommitted state, when that differs from HEAD."""
    result = DocHistory(doc.path, list(history.revisions) if history else [])
    last = result.revisions[-1] if result.revisions else None
    if last is None or last.blob != doc.blob:
        result.revisions.append(revision_from_text(doc.text, None, doc.path, doc.blob))
    return result
