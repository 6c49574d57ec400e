"""What history keeps between runs in `<git folder>/sms-docs/`: the parsed fields of every
blob (a blob never changes), and the history read for the last HEAD, so a check run again
on the same commit skips the log, and a later commit reads only the commits since.

Plain tuples in marshal: several times faster to load than JSON or pickled objects, and
data only — nothing in these files is ever called. Everything loaded is checked for its
shape before use, and a damaged, foreign or outdated file is ignored (the history is read
again), so a cache restored by CI can make a run slower, never wrong or unsafe.
"""

from __future__ import annotations

import marshal
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import store
from .model import Commit, DocHistory, Revision
from .scan import KEPT_FIELDS, Parsed

_BLOBS_FILE = "blobs-v4.marshal"
_HISTORY_FILE = "history-v3.marshal"
_WIDTH = len(KEPT_FIELDS)


class _Damaged(Exception):
    pass


def _check(condition: bool) -> None:
    if not condition:
        raise _Damaged


def _strs(value: object, length: int | None = None) -> tuple[str, ...]:
    _check(isinstance(value, tuple | list) and (length is None or len(value) == length))
    try:
        "".join(value)  # type: ignore[arg-type]  # refuses anything but text, at C speed: 157,000 revisions per load
    except TypeError:
        raise _Damaged from None
    return tuple(value)  # type: ignore[arg-type]


def _load(path: Path) -> object:
    data = store.read(path)
    if not data:
        return None
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None


class BlobCache:
    """Parsed blobs by id: an entry never goes stale, and a rebuild reads only new blobs."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / _BLOBS_FILE
        self.entries: dict[str, Parsed] = {}
        self.changed = False
        loaded = _load(self.path)
        try:
            _check(isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == store.code_fingerprint())
            entries = loaded[1]  # type: ignore[index]
            _check(isinstance(entries, dict))
            for sha, value in entries.items():
                _check(isinstance(sha, str) and isinstance(value, tuple) and len(value) == 2)
                _strs(value[0], _WIDTH)
                _check(isinstance(value[1], str))
            self.entries = entries
        except _Damaged:
            self.entries = {}

    def add(self, sha: str, parsed: Parsed) -> None:
        self.entries[sha] = parsed
        self.changed = True

    def save(self) -> None:
        if self.changed:
            store.write(self.path, marshal.dumps((store.code_fingerprint(), self.entries)))


@dataclass
class Stored:
    head: str
    commits: list[Commit]
    documents: dict[str, DocHistory]
    ended: list[DocHistory]


class StoredHistory:
    """The history of the last HEAD read, void when the code, the library folders or the
    depth of a shallow clone change."""

    def __init__(self, folder: Path, key: tuple[object, ...]) -> None:
        self.path = folder / _HISTORY_FILE
        # As marshal gives it back (tuples, lists), so a stored key compares equal.
        self.key = marshal.loads(marshal.dumps((store.code_fingerprint(), *key)))

    def load(self) -> Stored | None:
        loaded = _load(self.path)
        try:
            _check(isinstance(loaded, tuple) and len(loaded) == 5 and loaded[0] == self.key)
            _, head, raw_commits, raw_documents, raw_ended = loaded  # type: ignore[misc]
            _check(isinstance(head, str) and isinstance(raw_commits, list))
            commits = [self._commit(position, raw) for position, raw in enumerate(raw_commits)]
            by_sha = {c.sha: c for c in commits}
            _check(isinstance(raw_documents, list) and isinstance(raw_ended, list))
            documents = {}
            for raw in raw_documents:
                lineage = self._lineage(raw, commits, by_sha)
                documents[lineage.path] = lineage
            ended = [self._lineage(raw, commits, by_sha) for raw in raw_ended]
        except (_Damaged, ValueError, TypeError, IndexError, KeyError):
            return None
        return Stored(head, commits, documents, ended)

    @staticmethod
    def _commit(position: int, raw: object) -> Commit:
        _check(isinstance(raw, tuple) and len(raw) == 9)
        sha, parents, author, email, authored, committed, subject, body, signed = raw  # type: ignore[misc]
        _strs((sha, author, email, authored, committed, subject, body))
        _check(isinstance(signed, bool))
        return Commit(sha, _strs(parents), author, email, datetime.fromisoformat(authored),
                      datetime.fromisoformat(committed), subject, body, position, signed)

    @staticmethod
    def _lineage(raw: object, commits: list[Commit], by_sha: dict[str, Commit]) -> DocHistory:
        _check(isinstance(raw, tuple) and len(raw) == 4)
        path, ended, note, revisions = raw  # type: ignore[misc]
        _check(isinstance(path, str) and isinstance(note, str) and isinstance(revisions, list))
        _check(ended is None or isinstance(ended, str))
        lineage = DocHistory(path, [], by_sha[ended] if ended else None, note)
        for item in revisions:
            _check(isinstance(item, tuple) and len(item) == 5)
            position, revision_path, blob, values, key = item
            _check(isinstance(position, int) and 0 <= position < len(commits))
            _strs((revision_path, blob, key))
            lineage.revisions.append(Revision(commits[position], revision_path, blob, _strs(values, _WIDTH), key))
        return lineage

    def save(self, head: str, commits: list[Commit], documents: dict[str, DocHistory], ended: list[DocHistory]) -> None:
        # marshal writes an object it has seen once as a reference: one object per distinct
        # path, role or version keeps the file small and quick to load.
        keep = {}.setdefault

        def lineage(doc: DocHistory) -> tuple:
            return (
                doc.path,
                doc.ended.sha if doc.ended else None,
                doc.end_note,
                [
                    (r.commit.position, keep(r.path, r.path), r.blob, tuple(map(keep, r.values, r.values)), r.content_key)
                    for r in doc.revisions
                    if r.commit is not None
                ],
            )

        payload = (
            self.key,
            head,
            [
                (c.sha, c.parents, c.author, c.email, c.authored.isoformat(), c.committed.isoformat(), c.subject,
                 c.body, c.signed)
                for c in commits
            ],
            [lineage(d) for d in documents.values()],
            [lineage(d) for d in ended],
        )
        store.write(self.path, marshal.dumps(payload))
