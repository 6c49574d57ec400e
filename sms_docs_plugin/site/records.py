"""The library-wide record pages: register, hierarchy, coverage, assessment, reviews, records
retention, external documents, roles, changes and archive, plus the register files and the
Atom feed of changes.

What each page lists is decided below the site (register.py, assessment.py, clauses.py);
this module turns it into pages with links. Only published documents appear: a restricted
document is absent from every one of them unless the build is told to include restricted
material.
"""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from ..analysis import Analysis
from ..assessment import Evidence, assess
from ..library import Library
from ..model import HIERARCHY, Classification, DocType, Document, Finding, Status
from ..publication import Placement, placement
from ..register import (  # REGISTER_FIELDS: still importable where the register used to live
    REGISTER_FIELDS,  # noqa: F401
    RegisterRow,
    external_documents,
    published,
    register_csv,
    register_json,
    register_rows,
    retention_schedule,
)
from ..settings import Settings
from ..standing import Withdrawn
from .links import SiteMap, relative_url
from .render import render
from .versions import VersionEntry

DUE_SOON_DAYS = 30
# The record pages an assessment item may point to, with the titles the navigation gives them.
PAGE_TITLES = {
    "register": "Register",
    "hierarchy": "Hierarchy",
    "coverage": "Coverage",
    "assessment": "Assessment",
    "reviews": "Reviews",
    "records": "Records retention",
    "external-documents": "External documents",
    "roles": "Roles",
    "changes": "Changes",
    "archive": "Archive",
}


class Records:
    """Builds every record page from one analysis; each page is Markdown holding escaped HTML."""

    def __init__(
        self,
        analysis: Analysis,
        sitemap: SiteMap,
        entries: dict[str, list[VersionEntry]],
        withdrawn: list[tuple[str, Withdrawn]] | None = None,
    ) -> None:
        self.analysis = analysis
        # Every page shows the library as it stands: each document in its version in force.
        self.library: Library = analysis.standing.library
        self.withdrawn = withdrawn or []
        self.settings: Settings = analysis.library.settings
        self.sitemap = sitemap
        self.entries = entries
        self.today = analysis.today
        self.published = published(self.library)

    # -- shared helpers -------------------------------------------------------------------

    def link(self, doc: Document, page_url: str) -> dict[str, str | None]:
        # An external document has no status, and so no mark beside it.
        status = str(doc.status) if doc.status is not None else None
        return {"id": doc.id, "title": doc.title, "url": self.sitemap.doc_url(doc, page_url), "status": status}

    def rows(self) -> list[RegisterRow]:
        return register_rows(self.library, self.analysis.standing.upcoming)

    def page_link(self, name: str, page_url: str) -> tuple[str, str]:
        return (PAGE_TITLES[name], self.sitemap.page_url(f"{name}.md", page_url) or f"{name}/")

    def findings(self, *codes: str) -> list[Finding]:
        visible = {d.path for d in self.published}
        return [f for f in self.analysis.findings if f.code in codes and f.path in visible]

    # -- register ----------------------------------------------------------------------------

    def register(self, page_url: str) -> str:
        rows = self.rows()
        controlled = [row for row in rows if not row.doc.is_external]
        return render(
            "records/register.html",
            rows=controlled,
            externals=[row for row in rows if row.doc.is_external],
            url=lambda doc: self.sitemap.doc_url(doc, page_url),
            types=[t.value for t in HIERARCHY],
            statuses=sorted({str(row.doc.status) for row in controlled}),
            owners=sorted({row.doc.owner for row in controlled if row.doc.owner}),
            csv_url=relative_url("register.csv", page_url),
            json_url=relative_url("register.json", page_url),
            external_url=self.page_link("external-documents", page_url)[1],
        )

    def register_csv(self) -> str:
        return register_csv(self.rows())

    def register_json(self) -> str:
        return register_json(self.rows(), self.today, self.analysis.history.state.commit)

    # -- records retention schedule ----------------------------------------------------------

    def retention(self, page_url: str) -> str:
        return render(
            "records/retention.html",
            groups=retention_schedule(self.library),
            url=lambda doc: self.sitemap.doc_url(doc, page_url),
        )

    # -- external documents --------------------------------------------------------------------

    def external(self, page_url: str) -> str:
        return render(
            "records/external.html",
            entries=external_documents(self.library),
            url=lambda doc: self.sitemap.doc_url(doc, page_url),
            today=self.today,
            folder=self.settings.library.get(DocType.EXTERNAL, "external"),
        )

    # -- hierarchy -----------------------------------------------------------------------------

    def hierarchy(self, page_url: str) -> str:
        """Each document once under its main parent, and again, marked, under every other
        parent, so the tree shows every parent link a document page lists."""
        visible = {
            id(d) for d in self.published if placement(d, self.settings) is not Placement.ARCHIVE and not d.is_external
        }
        placed: set[int] = set()
        lines: list[dict[str, object]] = []

        def visit(start: Document) -> None:
            stack: list[tuple[Document, int, Document | None]] = [(start, 0, None)]
            while stack:
                doc, depth, main = stack.pop()
                if main is not None:  # a second parent's line: the document's subtree is under `main`
                    lines.append({"doc": doc, "depth": depth, "link": self.link(doc, page_url), "main": self.link(main, page_url)})
                    continue
                if id(doc) in placed:
                    continue
                placed.add(id(doc))
                lines.append({"doc": doc, "depth": depth, "link": self.link(doc, page_url), "main": None})
                below = []
                for child in self.library.children_of(doc):
                    if id(child) not in visible:
                        continue
                    primary = self.library.primary_parent(child)
                    if primary is doc and id(child) not in placed:
                        below.append((child, depth + 1, None))
                    elif primary is not doc and primary is not None and id(primary) in visible:
                        below.append((child, depth + 1, primary))
                    elif primary is None or id(primary) not in visible:
                        # No main parent on the tree: the first shown parent holds the subtree.
                        holder = next((p for p in self.library.parents_of(child) if id(p) in visible), None)
                        below.append((child, depth + 1, None if holder is doc else holder))
                stack.extend(reversed(below))

        roots = [d for d in self.published if id(d) in visible and not self.library.parents_of(d)]
        root = self.library.root_policy
        if root is not None and id(root) in visible:
            roots = [root] + [r for r in roots if r is not root]
        for doc in roots:
            visit(doc)
        for doc in self.published:
            if id(doc) in visible and id(doc) not in placed:
                visit(doc)
        return render("records/hierarchy.html", lines=lines, svg=_tree_svg(lines))

    # -- coverage --------------------------------------------------------------------------

    def coverage(self, page_url: str) -> str:
        clause_list = self.settings.clause_list  # read and checked with the options
        numbers = [c.number for c in clause_list.clauses]
        claims: dict[str, list[Document]] = defaultdict(list)
        for doc in self.published:
            if placement(doc, self.settings) is Placement.ARCHIVE:
                continue
            for clause in doc.clauses:
                claims[clause].append(doc)
        rows = []
        for clause in clause_list.clauses:
            docs = claims.get(clause.number, [])
            rows.append(
                {
                    "number": clause.number,
                    "title": clause.title,
                    "depth": clause.number.count("."),
                    "heading": clause.heading,
                    "docs": [self.link(d, page_url) for d in sorted(docs, key=lambda d: (d.doc_type.level, d.id or ""))],
                    "gap": not clause.heading and not docs,
                    "asks": clause.documents,
                }
            )
        leaves = [r for r in rows if not r["heading"]]
        covered = [r for r in leaves if r["docs"]]
        unknown = sorted(set(claims) - set(numbers))
        return render(
            "records/coverage.html",
            standard=clause_list.standard,
            rows=rows,
            covered=len(covered),
            total=len(leaves),
            gaps=[r for r in leaves if r["gap"]],
            unknown=[(number, [self.link(d, page_url) for d in claims[number]]) for number in unknown],
        )

    # -- reviews -------------------------------------------------------------------------------

    def reviews(self, page_url: str) -> str:
        soon = self.today + timedelta(days=DUE_SOON_DAYS)
        overdue, due = [], []
        for row in self.rows():
            # External documents are reviewed too: is the edition relied on still the one in force?
            if not (row.doc.status is Status.APPROVED or row.doc.is_external) or row.next_review is None:
                continue
            if row.next_review < self.today:
                overdue.append(row)
            elif row.next_review <= soon:
                due.append(row)
        suspects = []
        for doc in self.published:
            suspicion = self.analysis.suspicions.get(doc.key or "")
            if suspicion is not None:
                on = f" on {suspicion.since.isoformat()}" if suspicion.since else ""
                suspects.append((doc, f"{suspicion.parent.id} got version {suspicion.version}{on}"))
        # Unpublished drafts are listed too (without a link): owners need to see what waits.
        drafts = [
            d for d in self.library.documents
            if d.status is Status.DRAFT and d.key
            and (d.classification is not Classification.RESTRICTED or self.settings.include_restricted)
        ]
        return render(
            "records/reviews.html",
            overdue=sorted(overdue, key=lambda r: r.next_review),
            due=sorted(due, key=lambda r: r.next_review),
            suspects=[(self.link(d, page_url), f) for d, f in suspects if d is not None],
            drafts=[self.link(d, page_url) | {"owner": d.owner} for d in drafts],
            url=lambda doc: self.sitemap.doc_url(doc, page_url),
            days=DUE_SOON_DAYS,
            history=self.analysis.history.available,
        )

    # -- roles -----------------------------------------------------------------------------

    def roles(self, page_url: str) -> str:
        owns: dict[str, list[Document]] = defaultdict(list)
        approves: dict[str, list[Document]] = defaultdict(list)
        for doc in self.published:
            if doc.owner:
                owns[doc.owner].append(doc)
            if doc.approver:
                approves[doc.approver].append(doc)
        roles = sorted(set(owns) | set(approves), key=str.casefold)
        return render(
            "records/roles.html",
            roles=[
                {
                    "name": role,
                    "owns": [self.link(d, page_url) for d in owns.get(role, [])],
                    "approves": [self.link(d, page_url) for d in approves.get(role, [])],
                }
                for role in roles
            ],
        )

    # -- changes -------------------------------------------------------------------------------

    def change_items(self) -> list[dict[str, object]]:
        """Every published version, newest first by the day it was approved (or retired): the
        day it counts from, not the day it was committed."""
        items = []
        for doc in self.published:
            for entry in self.entries.get(doc.key or "", []):
                approved = _day(entry.field("approved")) if not entry.record.retired else None
                day = approved or (entry.head.commit.committed.date() if entry.head.commit else self.today)
                when = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                items.append({"doc": doc, "entry": entry, "when": when, "day": day, "sort": entry.head.position})
        items.sort(key=lambda item: (item["day"], item["sort"], item["doc"].id), reverse=True)  # type: ignore[index]
        return items

    def changes(self, page_url: str, feed_url: str) -> str:
        items = self.change_items()[:200]
        return render(
            "records/changes.html",
            items=items,
            url=lambda doc: self.sitemap.doc_url(doc, page_url),
            feed_url=feed_url,
            history=self.analysis.history,
        )

    def atom(self, site_url: str, site_name: str) -> str:
        items = self.change_items()[:50]
        updated = items[0]["when"] if items else datetime.combine(self.today, datetime.min.time(), tzinfo=UTC)
        return render(
            "records/changes.xml",
            items=items,
            site_url=site_url.rstrip("/") + "/" if site_url else "",
            entry_url=self._entry_url,
            updated=updated,
            site_name=site_name,
        )

    def _entry_url(self, item: dict[str, object]) -> str:
        """Where a feed entry leads, relative to the site root (and so to the feed, which sits
        there): the version's own page (a superseded or upcoming one), else the document, else
        the site's home."""
        entry: VersionEntry = item["entry"]  # type: ignore[assignment]
        doc: Document = item["doc"]  # type: ignore[assignment]
        if entry.url_path:
            return entry.url_path.removesuffix("index.html")
        return self.sitemap.doc_urls.get(doc.key or "") or "./"

    # -- archive -------------------------------------------------------------------------------

    def archive(self, page_url: str) -> str:
        retired = [d for d in self.published if placement(d, self.settings) is Placement.ARCHIVE]
        withdrawn = [
            {
                "id": gone.doc.id,
                "title": gone.doc.title,
                "url": self.sitemap.page_url(src_uri, page_url),
                "version": gone.record.version,
                "owner": gone.doc.owner,
                "how": gone.lineage.end_note,
                "commit": gone.commit.short if gone.commit else "",
                "day": gone.commit.day.isoformat() if gone.commit else "",
            }
            for src_uri, gone in self.withdrawn
        ]
        replaced_by = {
            key.casefold(): doc for doc in self.published if doc.is_current for key in doc.supersedes
        }
        return render(
            "records/archive.html",
            docs=[
                self.link(d, page_url) | {"version": d.version, "owner": d.owner, "replacement": (
                    self.link(replaced_by[d.key], page_url) if d.key in replaced_by else None)}
                for d in retired
            ],
            withdrawn=withdrawn,
        )

    # -- assessment --------------------------------------------------------------------------

    def assessment(self, page_url: str) -> str:
        result = assess(self.analysis)

        def evidence(line: Evidence) -> dict[str, object]:
            return {"text": line.text, "docs": [self.link(doc, page_url) for doc in line.docs if doc.path in visible]}

        visible = {d.path for d in self.published}
        return render(
            "records/assessment.html",
            assessment=result,
            items=[
                {
                    "item": item,
                    "evidence": [evidence(line) for line in item.evidence],
                    "pages": [self.page_link(name, page_url) for name in item.pages],
                }
                for item in result.items
            ],
        )


def _tree_svg(lines: list[dict[str, object]]) -> str:
    """The hierarchy as an SVG drawn at build time: no script, no outside request. A second
    parent's line is drawn like any other, with a dashed connector and an "also under" label,
    so each parent link is a line of its own instead of an arc across the tree."""
    row, indent, char = 22, 26, 7
    colours = {DocType.POLICY: "#3f51b5", DocType.PROCESS: "#00897b", DocType.PROCEDURE: "#6d4c41"}
    positions: list[tuple[int, int]] = []
    labels: list[str] = []
    stack: list[int] = []
    edges: list[str] = []
    for index, line in enumerate(lines):
        depth = int(line["depth"])  # type: ignore[arg-type]
        doc: Document = line["doc"]  # type: ignore[assignment]
        main = line["main"]
        x, y = 10 + depth * indent, 16 + index * row
        positions.append((x, y))
        label = f"{doc.id} {doc.title}"
        if main:
            label += f" (also here; main place under {main['id']})"  # type: ignore[index]
        labels.append(label)
        del stack[depth:]
        if depth and stack:
            px, py = positions[stack[-1]]
            dash = ' stroke-dasharray="4 3"' if main else ""
            edges.append(f'<path d="M{px + 5},{py + 5} V{y - 4} H{x - 2}" fill="none" stroke="#9e9e9e"{dash}/>')
        stack.append(index)
    width = max((x + 12 + char * len(label) for (x, _), label in zip(positions, labels, strict=True)), default=200) + 10
    height = row * len(lines) + 10
    parts = [
        f'<svg class="sms-tree" role="img" aria-label="Diagram of the document hierarchy" '
        f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        *edges,
    ]
    for (x, y), line, label in zip(positions, lines, labels, strict=True):
        doc = line["doc"]  # type: ignore[assignment]
        link = line["link"]
        url = html.escape(str(link["url"] or ""), quote=True)  # type: ignore[index]
        also = line["main"] is not None
        box = (
            f'<rect x="{x - 4}" y="{y - 11}" width="10" height="10" fill="none" stroke="{colours[doc.doc_type]}" stroke-width="2"/>'
            if also else f'<rect x="{x - 4}" y="{y - 11}" width="10" height="10" fill="{colours[doc.doc_type]}"/>'
        )
        style = ' font-style="italic" class="sms-tree-also"' if also else ""
        parts.append(f'<a href="{url}">{box}')
        parts.append(f'<text x="{x + 12}" y="{y - 2}" font-size="12" fill="currentColor"{style}>{html.escape(label)}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
