"""Approval evidence: who, in person, approved a version, as git records it.

The approving *role* is in the document (`approver`); the person of record is in the commit
that brought the version into the branch — the version's own commit, or the merge or
squash commit that carried it — as an `Approved-by: Name <email>` trailer, or as that
commit's verified signature (ISO/IEC 20000-5 D.4 g allows names for the people who move a
document through its life cycle).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .git import Repository
from .log import parse_commit
from .model import Commit, person_of_record

TRAILER = "Approved-by"
GOOD_SIGNATURES = ("G", "U")  # git verified the signature (U: the key's owner is not certified)


@dataclass(frozen=True)
class Evidence:
    person: str | None  # "Name <email>", or the signer; None: no evidence
    commit: Commit | None  # the commit that carries it (or would have to)
    kind: str = ""  # "trailer" or "signature"


class Approvals:
    """Finds the commit that brought each version commit into the branch, and its evidence.

    Which merge carried a commit is read from the whole commit graph (one `git rev-list`):
    walking the branch's first parents from the oldest, each commit carries what it makes
    reachable for the first time."""

    def __init__(self, repo: Repository | None, commits: Iterable[Commit], mode: str) -> None:
        self.repo = repo
        self.mode = mode
        self.by_sha = {c.sha: c for c in commits}
        self._carrier: dict[str, str] | None = None
        self._signatures: dict[str, tuple[str, str]] = {}

    def carrier(self, commit: Commit) -> Commit | None:
        """The commit of the branch itself that brought `commit` in (itself when on it)."""
        if self.repo is None:
            return None
        if self._carrier is None:
            self._carrier = _carriers(self.repo.first_parent_chain(), self.repo.graph())
        sha = self._carrier.get(commit.sha)
        if sha is None or sha == commit.sha:
            return commit if sha else None
        return self.by_sha.get(sha) or self._read(sha)

    def _read(self, sha: str) -> Commit | None:
        """A merge that touched no library file itself is not in the library's log."""
        assert self.repo is not None
        raw = dict(self.repo.objects([sha]))
        if sha not in raw:
            return None
        commit = parse_commit(sha, raw[sha], -1)
        self.by_sha[sha] = commit
        return commit

    def evidence(self, commit: Commit | None) -> Evidence:
        """The evidence for the version written by `commit`: with `signed`, a verified signature;
        otherwise an `Approved-by` trailer (`none` requires nothing, but a trailer is shown)."""
        if commit is None:
            return Evidence(None, None)
        candidates = [commit]
        carrier = self.carrier(commit)
        if carrier is not None and carrier is not commit:
            candidates.append(carrier)
        if self.mode == "signed":
            self.prefetch_signatures(candidates)
            for candidate in candidates:
                status, signer = self._signatures.get(candidate.sha, ("N", ""))
                if status in GOOD_SIGNATURES:
                    return Evidence(signer.strip() or candidate.email, candidate, "signature")
            return Evidence(None, candidates[-1])
        for candidate in candidates:
            for value in candidate.trailers(TRAILER):
                person = person_of_record(value)
                if person:
                    return Evidence(person, candidate, "trailer")
        return Evidence(None, candidates[-1])

    def prefetch_signatures(self, commits: Iterable[Commit]) -> None:
        wanted = [c.sha for c in commits if c.sha not in self._signatures]
        if wanted and self.repo is not None:
            found = self.repo.signatures(wanted)
            self._signatures.update({sha: found.get(sha, ("N", "")) for sha in wanted})


def _carriers(first_parents: list[str], graph: dict[str, tuple[str, ...]]) -> dict[str, str]:
    carried: dict[str, str] = {}
    for mainline in reversed(first_parents):
        stack = [mainline]
        while stack:
            sha = stack.pop()
            if sha in carried:
                continue
            carried[sha] = mainline
            stack.extend(parent for parent in graph.get(sha, ()) if parent not in carried)
    return carried
