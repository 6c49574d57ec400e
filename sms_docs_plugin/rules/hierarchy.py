"""Hierarchy rules SMS201–SMS208: policy › process › procedure, no orphans, no cycles."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import DocType, Document, Finding, Status, make_finding
from .context import RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    library = ctx.library
    yield from _duplicates(library.documents)
    for doc in library.documents:
        # Retired documents are archived, and an external document sits beside the hierarchy:
        # neither has parents to check.
        if not library.holds_id(doc) or doc.status is Status.RETIRED or doc.is_external:
            continue
        yield from _parents(ctx, doc)
    yield from _cycles(ctx)
    yield from _unreachable_policies(ctx)
    yield from _gaps(ctx)


def _duplicates(documents: list[Document]) -> Iterator[Finding]:
    first: dict[str, Document] = {}
    for doc in documents:
        if not doc.key:
            continue
        original = first.setdefault(doc.key, doc)
        if original is not doc:
            yield make_finding(
                "SMS201",
                doc.path,
                doc.line("id"),
                f"id `{doc.id}` is already used by {original.path} (ids are compared ignoring case); "
                "give this document a new id that was never used before",
                doc.id,
            )


def _parents(ctx: RuleContext, doc: Document) -> Iterator[Finding]:
    line = doc.line("parents")
    expected = doc.doc_type.parent_type
    if not doc.parents:
        if doc.doc_type is not DocType.POLICY:
            yield make_finding(
                "SMS202",
                doc.path,
                line,
                f"orphan: a {doc.doc_type} must hang under at least one {expected}; "
                f"add `parents: [<{expected} id>]` to the front matter",
                doc.id,
            )
        return
    found: list[Document] = []
    for parent_id in doc.parents:
        parent = ctx.library.get(parent_id)
        if parent is None:
            yield make_finding(
                "SMS203",
                doc.path,
                line,
                f"parent `{parent_id}` does not exist; correct the id or remove it from `parents`",
                doc.id,
            )
            continue
        if parent is doc:
            continue  # reported as a cycle
        found.append(parent)
        if parent.is_external:
            yield make_finding(
                "SMS204",
                doc.path,
                line,
                f"parent `{parent.id}` is an external document, which sits outside the hierarchy; list it in "
                f"`references` instead and choose a {expected} as parent",
                doc.id,
            )
        elif parent.doc_type is not expected:
            yield make_finding(
                "SMS204",
                doc.path,
                line,
                f"parent `{parent.id}` is a {parent.doc_type}, but a {doc.doc_type}'s parents must be "
                f"{_plural(expected)} (policy › process › procedure); choose a {expected} as parent",
                doc.id,
            )
    if doc.status is Status.APPROVED and found and all(p.status is not Status.APPROVED for p in found):
        states = ", ".join(f"{p.id} is {p.status or 'without status'}" for p in found)
        yield make_finding(
            "SMS206",
            doc.path,
            line,
            f"this approved {doc.doc_type} hangs on nothing current ({states}); "
            "approve a parent or move the document under a current one",
            doc.id,
        )


def _cycles(ctx: RuleContext) -> Iterator[Finding]:
    """Each cycle once, reported on its member with the first path; iterative, no recursion limit."""
    library = ctx.library
    state: dict[int, int] = {}  # id(doc) -> 1 on the stack, 2 done
    reported: set[frozenset[int]] = set()
    for start in library.documents:
        if id(start) in state or not start.key or start.status is Status.RETIRED:
            continue
        stack: list[tuple[Document, Iterator[Document]]] = [(start, iter(_parent_docs(ctx, start)))]
        path: list[Document] = [start]
        state[id(start)] = 1
        while stack:
            doc, parents = stack[-1]
            parent = next(parents, None)
            if parent is None:
                stack.pop()
                path.pop()
                state[id(doc)] = 2
                continue
            mark = state.get(id(parent))
            if mark == 1:
                cycle = path[path.index(parent) :]
                members = frozenset(id(d) for d in cycle)
                if members not in reported:
                    reported.add(members)
                    yield _cycle_finding(cycle)
            elif mark is None:
                state[id(parent)] = 1
                path.append(parent)
                stack.append((parent, iter(_parent_docs(ctx, parent))))


def _parent_docs(ctx: RuleContext, doc: Document) -> list[Document]:
    found = (ctx.library.get(pid) for pid in doc.parents)
    return [p for p in found if p is not None and p.status is not Status.RETIRED]


def _cycle_finding(cycle: list[Document]) -> Finding:
    first = min(cycle, key=lambda d: d.path)
    start = cycle.index(first)
    ordered = cycle[start:] + cycle[:start]
    chain = " → ".join(d.id or d.path for d in [*ordered, first])
    if len(cycle) == 1:
        message = f"`{first.id}` lists itself as its own parent; remove it from `parents`"
    else:
        message = f"cycle in the hierarchy: {chain} (each is a parent of the next); remove one of these parent links"
    return make_finding("SMS205", first.path, first.line("parents"), message, first.id)


def _unreachable_policies(ctx: RuleContext) -> Iterator[Finding]:
    library = ctx.library
    policies = [p for p in library.of_type(DocType.POLICY) if p.key and p.status is not Status.RETIRED]
    if not policies:
        return
    root = library.root_policy
    if root is None:
        if ctx.settings.root_policy:
            doc = policies[0]
            yield make_finding(
                "SMS207",
                doc.path,
                1,
                f"the configured root_policy `{ctx.settings.root_policy}` does not exist; "
                "correct `root_policy` in mkdocs.yml",
                doc.id,
            )
            return
        tops = library.top_policies
        if len(tops) > 1:
            names = ", ".join(p.id or p.path for p in tops)
            for doc in tops:
                yield make_finding(
                    "SMS207",
                    doc.path,
                    doc.line("parents") if doc.parents else doc.line("id"),
                    f"several policies have no parent ({names}), so none is the service management "
                    "policy; give the others `parents: [<root policy id>]` or set `root_policy` in mkdocs.yml",
                    doc.id,
                )
        return
    reached = {id(root)}
    queue = [root]
    while queue:
        for child in library.children_of(queue.pop()):
            if child.doc_type is DocType.POLICY and id(child) not in reached:
                reached.add(id(child))
                queue.append(child)
    for doc in policies:
        if id(doc) not in reached and library.holds_id(doc):
            yield make_finding(
                "SMS207",
                doc.path,
                doc.line("parents") if doc.parents else doc.line("id"),
                f"policy not reachable from the service management policy `{root.id}`; "
                f"add `parents: [{root.id}]` or a policy under it",
                doc.id,
            )


def _gaps(ctx: RuleContext) -> Iterator[Finding]:
    library = ctx.library
    root = library.root_policy
    for doc in library.documents:
        if not library.holds_id(doc) or doc.status is Status.RETIRED:
            continue
        live_children = [c for c in library.children_of(doc) if c.status is not Status.RETIRED]
        if doc.doc_type is DocType.PROCESS and not any(c.doc_type is DocType.PROCEDURE for c in live_children):
            yield make_finding(
                "SMS208",
                doc.path,
                doc.line("id"),
                "gap: this process has no procedures; write the procedures that carry it out "
                "(`sms-docs new procedure --parent " + (doc.id or "") + "`)",
                doc.id,
            )
        elif doc.doc_type is DocType.POLICY and doc is not root and not _has_process_below(library, doc):
            yield make_finding(
                "SMS208",
                doc.path,
                doc.line("id"),
                "gap: this policy has no processes that implement it; add a process with "
                f"`parents: [{doc.id}]`",
                doc.id,
            )


def _has_process_below(library, policy: Document) -> bool:
    seen = {id(policy)}
    queue = [policy]
    while queue:
        for child in library.children_of(queue.pop()):
            if child.status is Status.RETIRED or id(child) in seen:
                continue
            if child.doc_type is DocType.PROCESS:
                return True
            seen.add(id(child))
            queue.append(child)
    return False


def _plural(doc_type: DocType) -> str:
    return "policies" if doc_type is DocType.POLICY else f"{doc_type}es"
