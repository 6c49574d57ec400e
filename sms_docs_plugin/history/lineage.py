"""Which revisions belong to one document: following files through adds, edits, renames
and deletions, where a document is its id.

A rename or an edit that keeps the id continues the document; one that changes the id ends
it (withdrawn: "renamed with a new id") and starts another. A file deleted and added again
in one commit with the same id is a move git did not see; added again later, it is the
same document only when it is restored unchanged, otherwise another document reusing the id.
"""

from __future__ import annotations

from .log import Change
from .model import Commit, DocHistory, Revision
from .scan import EMPTY, Parsed


def follow(
    changes: list[Change],
    commits: dict[str, Commit],
    parsed: dict[str, Parsed],
    prefix: str,
    live: dict[str, DocHistory] | None = None,
    ended: list[DocHistory] | None = None,
) -> tuple[dict[str, DocHistory], list[DocHistory]]:
    """Lineages by current path (relative to the library root) and the ended ones, from
    nothing or from `live` (full path -> lineage) and `ended` as an earlier pass left them."""
    live = dict(live or {})
    ended = list(ended or [])
    by_commit: dict[str, list[Change]] = {}
    for change in changes:
        by_commit.setdefault(change.sha, []).append(change)

    def short(path: str) -> str:
        return path[len(prefix) :] if path.startswith(prefix) else path

    def end(lineage: DocHistory, commit: Commit, note: str) -> None:
        lineage.ended, lineage.end_note = commit, note
        ended.append(lineage)

    for sha, batch in by_commit.items():
        commit = commits[sha]
        deleted_here: dict[str, DocHistory] = {}
        for change in batch:
            if change.status == "D" and change.old_path in live:
                lineage = live.pop(change.old_path)
                end(lineage, commit, "deleted")
                if lineage.doc_id:
                    deleted_here[lineage.doc_id.casefold()] = lineage
        for change in batch:
            if change.new_path is None or change.new_blob is None:
                continue
            values, key = parsed.get(change.new_blob, (EMPTY, change.new_blob))
            new_id = values[0]
            path = short(change.new_path)
            revision = Revision(commit, path, change.new_blob, values, key)
            lineage = None
            if change.status == "R" and change.old_path in live:
                lineage = live.pop(change.old_path)
            elif change.status == "M" and change.new_path in live:
                lineage = live.pop(change.new_path)
            if lineage is not None and lineage.doc_id and new_id and lineage.doc_id.casefold() != new_id.casefold():
                how = f"renamed to {path}" if change.status == "R" else "edited"
                end(lineage, commit, f"{how} with the new id {new_id}")
                lineage = None
            if lineage is None and new_id:
                lineage = deleted_here.pop(new_id.casefold(), None)
                if lineage is not None:
                    ended.remove(lineage)
                    lineage.ended, lineage.end_note = None, ""
                else:
                    lineage = _restored(ended, new_id, key)
            if lineage is None:
                lineage = DocHistory(path)
            lineage.path = path
            lineage.revisions.append(revision)
            live[change.new_path] = lineage
    current = {}
    for full, lineage in live.items():
        lineage.path = short(full)
        current[lineage.path] = lineage
    return current, ended


def _restored(ended: list[DocHistory], doc_id: str, key: str) -> DocHistory | None:
    """A deleted document added back exactly as it was (a revert of the deletion)."""
    for lineage in reversed(ended):
        if lineage.end_note == "deleted" and lineage.doc_id.casefold() == doc_id.casefold():
            if lineage.revisions and lineage.revisions[-1].content_key == key:
                ended.remove(lineage)
                lineage.ended, lineage.end_note = None, ""
                return lineage
            return None
    return None
