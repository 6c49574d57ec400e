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
    """Finds the commits that brought each version commit into the branch, and their evidence.

    Read from the whole commit graph (one `git rev-list`): walking the branch's first parents
    from the oldest, each commit carries what it makes reachable for the first time; within
    what a merge carried, the merges that brought the version commit in (a pull request
    merged into a branch that was then merged) carry it too. Their messages are read in one
    batch, the first time evidence is asked for."""

    def __init__(self, repo: Repository | None, commits: Iterable[Commit], mode: str) -> None:
        self.repo = repo
        self.mode = mode
        self.by_sha = {c.sha: c for c in commits}
        self._graph: dict[str, tuple[str, ...]] | None = None
        self._carrier: dict[str, str] = {}
        self._carried: dict[str, set[str]] = {}
        self._signatures: dict[str, tuple[str, str]] = {}

    def _load(self) -> dict[str, tuple[str, ...]]:
        if self._graph is None:
            assert self.repo is not None
            self._graph = self.repo.graph()
            self._carrier = _carriers(self.repo.first_parent_chain(), self._graph)
            for sha, mainline in self._carrier.items():
                self._carried.setdefault(mainline, set()).add(sha)
            merges = [sha for sha, parents in self._graph.items() if len(parents) > 1 and sha not in self.by_sha]
            for sha, raw in self.repo.objects(merges):
                self.by_sha[sha] = parse_commit(sha, raw, -1)
        return self._graph

    def bringers(self, commit: Commit) -> list[Commit]:
        """`commit`, then the merges that brought it into the branch, innermost first; the
        last is the branch's own commit that carried it."""
        if self.repo is None:
            return [commit]
        graph = self._load()
        mainline = self._carrier.get(commit.sha)
        if mainline is None or mainline == commit.sha:
            return [commit]
        members = self._carried[mainline]
        found = [
            sha for sha in members
            if len(graph.get(sha, ())) > 1 and sha != mainline and _reaches(graph, graph[sha][1:], commit.sha, members)
        ]
        found.sort(key=lambda sha: len(self._carried_within(graph, sha, members)))
        return [commit, *(self.by_sha[sha] for sha in [*found, mainline] if sha in self.by_sha)]

    @staticmethod
    def _carried_within(graph: dict[str, tuple[str, ...]], merge: str, members: set[str]) -> set[str]:
        """What a merge inside a carried set brought in: a smaller set is a nearer merge."""
        seen: set[str] = set()
        stack = [p for p in graph[merge][1:] if p in members]
        while stack:
            sha = stack.pop()
            if sha not in seen:
                seen.add(sha)
                stack.extend(p for p in graph.get(sha, ()) if p in members)
        return seen

    def evidence(self, commit: Commit | None) -> Evidence:
        """The evidence for the version written by `commit`: with `signed`, a verified signature;
        otherwise an `Approved-by` trailer (`none` requires nothing, but a trailer is shown)."""
        if commit is None:
            return Evidence(None, None)
        candidates = self.bringers(commit)
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


def _reaches(graph: dict[str, tuple[str, ...]], starts: Iterable[str], target: str, within: set[str]) -> bool:
    seen: set[str] = set()
    stack = [sha for sha in starts if sha in within]
    while stack:
        sha = stack.pop()
        if sha == target:
            return True
        if sha not in seen:
            seen.add(sha)
            stack.extend(p for p in graph.get(sha, ()) if p in within)
    return False


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
