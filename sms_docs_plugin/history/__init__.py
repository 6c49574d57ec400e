"""The library's git history, read in one pass: every document's revisions and versions.

- `git.py`: every git call; the repository found once; git's refusals explained once.
- `log.py`: one `git log --raw` for which commits wrote which files; commit objects parsed
  from `git cat-file --batch`, so no commit text can break or forge the history.
- `scan.py`: the few front-matter fields of an old version, without YAML.
- `lineage.py`: files followed through renames to documents, a document being its id.
- `model.py`: revisions, versions (drafts folded in, reviews and moves apart, irregular
  revisions as data) and the version in force on a date.
- `cache.py`: what is kept in `.git/sms-docs/` between runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..frontmatter import decode
from ..model import Document
from . import log as git_log
from .cache import BlobCache, StoredHistory
from .git import HistoryError, Repository, SourceState, open_repository
from .lineage import follow
from .model import APPROVED, DRAFT, RETIRED, Commit, DocHistory, Move, Revision, VersionRecord, Versions, group_versions
from .scan import KEPT_FIELDS, content_key, parse_blob, scan_fields

__all__ = [
    "APPROVED", "DRAFT", "KEPT_FIELDS", "RETIRED", "Commit", "DocHistory", "HistoryError", "LibraryHistory", "Move",
    "Repository", "Revision", "SourceState", "VersionRecord", "Versions", "content_key", "group_versions",
    "open_repository", "read_history", "revision_from_text", "scan_fields",
]


@dataclass
class LibraryHistory:
    root: Path
    state: SourceState
    repo: Repository | None = None
    commits: list[Commit] = field(default_factory=list)
    documents: dict[str, DocHistory] = field(default_factory=dict)  # current path -> history
    ended: list[DocHistory] = field(default_factory=list)  # withdrawn: deleted, or given another id
    notices: list[str] = field(default_factory=list)
    available: bool = False
    _texts: dict[str, str] = field(default_factory=dict, repr=False)
    _by_id: dict[str, list[DocHistory]] | None = field(default=None, repr=False)  # live lineages by id

    def all_lineages(self) -> list[DocHistory]:
        """Every document ever in the library, withdrawn ones included."""
        return list(self.documents.values()) + self.ended

    def for_path(self, path: str) -> DocHistory | None:
        return self.documents.get(path)

    def timeline(self, doc: Document) -> DocHistory:
        """The document's history as the working tree continues it: its committed lineage (also
        when the file was moved but the move not yet committed) plus the uncommitted state."""
        committed = self.for_path(doc.path) if self.available else None
        if committed is None and self.available:
            committed = self._moved_here(doc)
        if (
            committed is not None
            and committed.path == doc.path
            and committed.revisions
            and committed.revisions[-1].blob == doc.blob
            and (not committed.doc_id or not doc.id or committed.doc_id.casefold() == doc.key)
        ):
            return committed  # the working tree adds nothing: one lineage, its versions grouped once
        lineage = DocHistory(doc.path, list(committed.revisions) if committed else [])
        if committed is not None and committed.doc_id and doc.id and committed.doc_id.casefold() != doc.key:
            lineage.revisions = []  # given a new id in the working tree: another document from here on
        last = lineage.revisions[-1] if lineage.revisions else None
        if last is None or last.blob != doc.blob:
            lineage.revisions.append(revision_from_text(doc.text, None, doc.path, doc.blob))
        return lineage

    def _moved_here(self, doc: Document) -> DocHistory | None:
        if not doc.key:
            return None
        if self._by_id is None:
            self._by_id = {}
            for lineage in self.documents.values():
                self._by_id.setdefault(lineage.doc_id.casefold(), []).append(lineage)
        for lineage in self._by_id.get(doc.key, []):
            if not (self.root / lineage.path).exists():
                return lineage
        return None

    def before(self, commits: set[str], root: Path) -> LibraryHistory:
        """This history without `commits` (those of a pull request): the history of its base,
        with the base's files checked out at `root`."""
        kept = [c for c in self.commits if c.sha not in commits]
        documents: dict[str, DocHistory] = {}
        ended: list[DocHistory] = []
        for lineage in self.all_lineages():
            revisions = [r for r in lineage.revisions if r.commit is not None and r.commit.sha not in commits]
            if not revisions:
                continue
            still_ended = lineage.ended is not None and lineage.ended.sha not in commits
            old = DocHistory(revisions[-1].path, revisions, lineage.ended if still_ended else None,
                             lineage.end_note if still_ended else "")
            if still_ended:
                ended.append(old)
            else:
                documents[old.path] = old
        return LibraryHistory(root=root, state=self.state, repo=self.repo, commits=kept, documents=documents,
                              ended=ended, available=self.available, _texts=self._texts)

    def prefetch(self, revisions: Iterable[Revision]) -> None:
        """Read the full texts of many revisions in one batch (past versions and diffs)."""
        if self.repo is None:
            return
        # In the order of the commits: git inflates a blob from the deltas of its neighbours in
        # the pack, and one document's versions in a row defeat its cache (7x slower here).
        committed = sorted((r for r in revisions if r.commit is not None), key=lambda r: r.position)
        wanted = [r.blob for r in committed if r.blob not in self._texts]
        for sha, raw in self.repo.objects(list(dict.fromkeys(wanted))):
            text, _, _ = decode(raw)
            self._texts[sha] = text or ""

    def forget_texts(self) -> None:
        self._texts.clear()

    def text_of(self, revision: Revision) -> str:
        """The full text of a revision: prefetched, or read on demand."""
        if revision.blob not in self._texts:
            self.prefetch([revision])
        return self._texts.get(revision.blob, "")


def revision_from_text(text: str, commit: Commit | None, path: str, blob: str) -> Revision:
    values, key = parse_blob(text.encode("utf-8", "surrogateescape"))
    return Revision(commit=commit, path=path, blob=blob, values=values, content_key=key)


# One library per process in practice (`mkdocs serve` rebuilds it); keyed by HEAD.
_CACHE: dict[tuple[object, ...], LibraryHistory] = {}


def read_history(root: Path, folders: Iterable[str], repo: Repository | SourceState | None = None) -> LibraryHistory:
    """The history of every document under `folders` (paths relative to `root`).

    Raises HistoryError when git refuses the repository."""
    folders = tuple(sorted(folders))
    found = repo if repo is not None else open_repository(root, [*folders, "mkdocs.yml"])
    if isinstance(found, SourceState):
        return LibraryHistory(root=root, state=found, notices=list(found.notices))
    repo = found
    state = repo.state
    assert state.commit is not None
    prefix = repo.prefix(root)
    key = (str(repo.toplevel), state.commit, folders, prefix, _shallow_marker(repo.git_dir))
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    history = LibraryHistory(root=root, state=state, repo=repo, notices=list(state.notices))
    stored = StoredHistory(repo.store, key[2:])
    base = stored.load()
    if base is not None and base.head == state.commit:
        history.commits, history.documents, history.ended = base.commits, base.documents, base.ended
    else:
        pathspecs = [prefix + folder for folder in folders]
        since = base.head if base is not None and repo.is_ancestor(base.head, state.commit) else None
        # A few commits on top of a history already read: log and parse only those. They
        # follow every earlier commit, as in a full topological pass.
        earlier = base.commits if since and base is not None else []
        logged, changes = git_log.log(repo, pathspecs, since=since)
        blobs = BlobCache(repo.store)
        wanted = [sha for sha in dict.fromkeys(c.new_blob for c in changes if c.new_blob) if sha not in blobs.entries]
        commit_shas = {c.sha for c in logged}
        raw_commits: dict[str, bytes] = {}
        for sha, raw in repo.objects([c.sha for c in logged] + wanted):
            if sha in commit_shas and sha not in raw_commits:
                raw_commits[sha] = raw
            else:
                blobs.add(sha, parse_blob(raw))
        commits = [
            git_log.parse_commit(c.sha, raw_commits.get(c.sha, b""), len(earlier) + index) for index, c in enumerate(logged)
        ]
        history.commits = earlier + commits
        by_sha = {c.sha: c for c in commits}
        live = {prefix + path: lineage for path, lineage in base.documents.items()} if since and base else None
        history.documents, history.ended = follow(
            changes, by_sha, blobs.entries, prefix, live, base.ended if since and base else None
        )
        blobs.save()
        del blobs, changes, raw_commits  # before the store is written: the peak memory of a first read
        stored.save(state.commit, history.commits, history.documents, history.ended)
    history.available = True
    if state.shallow:
        oldest = history.commits[0].committed.date().isoformat() if history.commits else "unknown"
        history.notices.append(
            f"This is a shallow clone: history before {oldest} is missing, so earlier versions are not shown. "
            "Fetch the full history with `git fetch --unshallow` (in CI: checkout with fetch-depth: 0)."
        )
    if state.detached:
        history.notices.append("HEAD is detached: the history shown is that of the checked-out commit.")
    _CACHE.clear()
    _CACHE[key] = history
    return history


def _shallow_marker(git_dir: Path) -> str:
    """Which commits a shallow clone is cut at: deepening it changes the history of the same HEAD."""
    try:
        return (git_dir / "shallow").read_text()
    except OSError:
        return ""
