"""Document control rules SMS308–SMS312 and SMS401 on roles: obsolete documents are retired,
not made to vanish; ids are never reused; versions are approved by those allowed to, with
evidence of who did; owners and approvers are roles, not people.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..history import APPROVED, DocHistory
from ..model import Document, Finding, Status, make_finding
from .content import people_pattern
from .context import RuleContext

# Words that make a value a role ("Head of Service Desk"); two or three capitalised words
# with none of them read like a person's name ("Test Person").
ROLE_WORDS = frozenset(
    """
    accountant administrator advisor adviser agent analyst architect assistant assurance audit auditor authority
    board business capacity centre center change chair chief coordinator committee compliance continuity controller
    council counsel customer data delivery department deputy desk developer development director engineer engineering
    executive facilities finance financial first forum governance group head helpdesk human incident information
    infrastructure lead leader legal line management manager member network office officer operations operator owner
    panel partner people planning platform privacy problem process procurement product programme program project
    quality release relationship representative request resources reviewer risk role safety secretary security senior
    service services site specialist sponsor staff steering steward supervisor supplier supply support team technical
    technician technology unit vendor vice approver consultant contractor custodian registrar trainer
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_CAPITALISED = re.compile(r"^[A-Z][a-z'’-]+$")


def check(ctx: RuleContext) -> Iterator[Finding]:
    library = ctx.library
    documents = [doc for doc in library.documents if library.holds_id(doc)]
    yield from _roles(ctx, documents)
    if not ctx.has_history:
        return
    yield from _withdrawn(ctx)
    yield from _reused(ctx, documents)
    yield from _evidence(ctx, documents)


# -- SMS310, SMS311, SMS401 on roles -----------------------------------------------------------


def _roles(ctx: RuleContext, documents: list[Document]) -> Iterator[Finding]:
    approvers = {kind: {role.casefold() for role in roles} for kind, roles in ctx.settings.approvers.items()}
    names = people_pattern(ctx)
    for doc in documents:
        if doc.status is Status.RETIRED:
            continue
        for name in ("owner", "approver"):
            value = getattr(doc, name)
            if value and _names_a_person(value, names):
                yield make_finding(
                    "SMS401",
                    doc.path,
                    doc.line(name),
                    f"`{name}: {value}` names a person; give the role instead (for example `Incident Manager`), "
                    "so the document stays right when people change jobs",
                    doc.id,
                )
        if doc.status is not Status.APPROVED or not doc.approver:
            continue
        allowed = approvers.get(doc.doc_type.value)
        if allowed is not None and doc.approver.casefold() not in allowed:
            roles = ", ".join(ctx.settings.approvers[doc.doc_type.value]) or "no role"
            yield make_finding(
                "SMS310",
                doc.path,
                doc.line("approver"),
                f"`{doc.approver}` may not approve a {doc.doc_type}: the `approvers` option allows {roles}; "
                "have one of them approve this version and record that role in `approver`",
                doc.id,
            )
        if doc.owner and doc.owner.strip().casefold() == doc.approver.strip().casefold():
            yield make_finding(
                "SMS311",
                doc.path,
                doc.line("approver"),
                f"`{doc.approver}` both owns and approves this document; have another role, one with authority "
                "over the owner's, approve it",
                doc.id,
            )


def _names_a_person(value: str, names: re.Pattern[str] | None) -> bool:
    if names is not None and names.search(value):
        return True
    words = value.split()
    return 2 <= len(words) <= 3 and all(_CAPITALISED.match(w) for w in words) and not any(
        w.casefold().strip("'’") in ROLE_WORDS for w in words
    )


# -- SMS308 ---------------------------------------------------------------------------------


def _controlled(lineage: DocHistory) -> bool:
    """Has an approved version and was not retired after it: a current document."""
    records = lineage.records
    return bool(records) and not records[-1].retired and any(r.head.status == APPROVED for r in records)


def _withdrawn(ctx: RuleContext) -> Iterator[Finding]:
    assert ctx.history is not None
    present = {doc.key for doc in ctx.library.documents if doc.key}
    by_path = ctx.library.by_path
    # The working tree against HEAD: a current document's file gone, or given another id.
    for lineage in ctx.history.documents.values():
        if not _controlled(lineage):
            continue
        doc_id = lineage.doc_id
        here = by_path.get(lineage.path)
        if here is not None and here.key and doc_id and here.key != doc_id.casefold() and doc_id.casefold() not in present:
            yield _finding(here.path, here.line("id"), doc_id, f"its id was changed to {here.id}", here.id)
        elif here is None and (ctx.history.root / lineage.path).exists() is False and doc_id.casefold() not in present:
            yield _finding(lineage.path, 1, doc_id, "its file was deleted", doc_id)
    # A pull request: what its commits withdrew.
    pull_request = ctx.pull_request_commits
    if pull_request is None:
        return
    for lineage in ctx.history.ended:
        ended = lineage.ended
        if ended is None or ended.sha not in pull_request or lineage.doc_id.casefold() in present:
            continue
        at_base = DocHistory(lineage.path, [r for r in lineage.revisions if r.commit and r.commit.sha not in pull_request])
        if not at_base.revisions or not _controlled(at_base):
            continue
        if lineage.end_note.startswith("renamed to "):
            new_path = lineage.end_note.removeprefix("renamed to ").split(" with the new id ", 1)[0]
            doc = by_path.get(new_path)
            if doc is not None:
                yield _finding(doc.path, doc.line("id"), lineage.doc_id, f"it was {lineage.end_note}", doc.id)
                continue
        yield _finding(lineage.path, 1, lineage.doc_id, f"its file was {lineage.end_note} in {ended.short}", lineage.doc_id)


def _finding(path: str, line: int, doc_id: str, how: str, finding_id: str | None) -> Finding:
    return make_finding(
        "SMS308",
        path,
        line,
        f"approved document {doc_id} was withdrawn without being retired: {how}. Obsolete documents are kept "
        f"and marked, not made to vanish: restore {doc_id}, commit it with `status: retired` (its archive "
        "record), and only then remove or replace it; a replacement gets a new id and `supersedes: "
        f"[{doc_id}]`",
        finding_id,
    )


# -- SMS309 ---------------------------------------------------------------------------------


def _reused(ctx: RuleContext, documents: list[Document]) -> Iterator[Finding]:
    assert ctx.history is not None
    # Ended lineages by id: a document of HEAD sharing its id with another is SMS201's to report.
    ended: dict[str, list[DocHistory]] = {}
    for lineage in ctx.history.ended:
        if lineage.doc_id and lineage.revisions:
            ended.setdefault(lineage.doc_id.casefold(), []).append(lineage)
    for doc in documents:
        if not doc.key or doc.key not in ended:
            continue
        own = {(r.commit.sha if r.commit else None, r.blob) for r in ctx.timelines[doc.key].revisions}
        for lineage in ended[doc.key]:
            last = lineage.revisions[-1]
            if (last.commit.sha if last.commit else None, last.blob) in own or lineage.ended is None:
                continue  # this document's own line of history
            title = last.field_text("title") or "a document"
            yield make_finding(
                "SMS309",
                doc.path,
                doc.line("id"),
                f"id {doc.id} belonged to another document: \"{title}\" ({lineage.path}), {lineage.end_note} in "
                f"{lineage.ended.short} on {lineage.ended.day.isoformat()}. Ids are never reused: give this document a "
                "new id (`sms-docs new` proposes the next free one)",
                doc.id,
            )
            break


# -- SMS312 ---------------------------------------------------------------------------------


def _evidence(ctx: RuleContext, documents: list[Document]) -> Iterator[Finding]:
    mode = ctx.settings.approval_evidence
    approvals = ctx.approvals
    if mode == "none" or approvals is None:
        return
    pull_request = ctx.pull_request_commits or set()
    wanted = []
    for doc in documents:
        if doc.status is not Status.APPROVED:
            continue
        records = ctx.timelines[doc.key or ""].records
        if not records or records[-1].head.status != APPROVED:
            continue
        commit = records[-1].head.commit
        # Not yet committed, or in the pull request being checked: the evidence comes with the
        # merge or squash commit that will carry it into the branch.
        if commit is None or commit.sha in pull_request:
            continue
        wanted.append((doc, records[-1]))
    if mode == "signed":
        approvals.prefetch_signatures(c for _, record in wanted if record.head.commit for c in approvals.bringers(record.head.commit))
    for doc, record in wanted:
        evidence = approvals.evidence(record.head.commit)
        if evidence.person:
            continue
        where = evidence.commit.short if evidence.commit else "its commit"
        if mode == "trailer":
            lacks, fix = "has no `Approved-by: Name <email>` trailer", "put the trailer in the merge or squash commit message"
        else:
            lacks, fix = "is not signed with a key git can verify", "sign the merge commit (or the version's commit) with a trusted key"
        yield make_finding(
            "SMS312",
            doc.path,
            doc.line("approved"),
            f"version {record.version} has no approval evidence: commit {where}, which brought it into the branch, "
            f"{lacks}; `approval_evidence: {mode}` asks for it: {fix}",
            doc.id,
        )
