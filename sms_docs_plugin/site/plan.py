"""The site plan: which pages a build publishes and what each one shows.

The plugin hands MkDocs events to this object; it knows the analysis (library, findings,
history) and how each document stands on the build date, and decides, for each source
URI, its source, title, search and decorations. A document's page shows the version in
force; upcoming and past versions have pages of their own.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..analysis import Analysis
from ..frontmatter import without_title
from ..model import Document
from ..publication import Placement, placement, published_assets, shadowed_pages
from ..standing import NOT_YET, Standing, Withdrawn
from .document import Banner, DocumentView, Link
from .history_pages import CONTENT_END, CONTENT_START, KEPT_BETWEEN_BUILDS, HistoryJob, HistoryPageWriter
from .links import SiteMap, relative_url
from .navigation import library_navigation
from .records import Records
from .render import render
from .safety import neutralise
from .versions import UPCOMING, VersionEntry, changes_src_uri, history_src_uri, previous_comparable, version_entries

WITHDRAWN_FOLDER = "archive/withdrawn"


@dataclass
class GeneratedPage:
    """A page the plugin writes: its Markdown is produced when MkDocs reads it."""

    src_uri: str
    title: str  # plain text; escaped where it is used
    markdown: Callable[[str], str]  # page URL -> Markdown (with escaped HTML blocks)
    searchable: bool = False
    in_nav: bool = False


@dataclass
class SitePlan:
    analysis: Analysis
    sitemap: SiteMap = field(default_factory=SiteMap)
    docs: dict[str, Document] = field(default_factory=dict)  # src_uri -> published document, as it stands
    generated: dict[str, GeneratedPage] = field(default_factory=dict)
    entries: dict[str, list[VersionEntry]] = field(default_factory=dict)  # doc key -> versions
    dest_paths: dict[str, str] = field(default_factory=dict)  # source path -> file written in the site
    withdrawn: dict[str, Withdrawn] = field(default_factory=dict)  # src_uri -> withdrawn document

    @property
    def settings(self):  # noqa: ANN201
        return self.analysis.library.settings

    @property
    def library(self):  # noqa: ANN201 - the library as it stands: what the pages show
        return self.analysis.standing.library

    def standing(self, doc: Document) -> Standing | None:
        return self.analysis.standing.of(doc)

    # -- files ---------------------------------------------------------------------------

    def add_files(self, files: Files, config: MkDocsConfig) -> None:
        root = str(self.settings.root)
        for uri in shadowed_pages(self.library, [file.src_uri for file in files]):
            files.remove(files.get_file_from_path(uri))  # type: ignore[arg-type]
        for doc in self.library.documents:
            where = placement(doc, self.settings)
            if where is Placement.HIDDEN:
                continue
            inclusion = InclusionLevel.INCLUDED if where is Placement.CURRENT else InclusionLevel.NOT_IN_NAV
            file = File(doc.path, root, config.site_dir, config.use_directory_urls, inclusion=inclusion)
            files.append(file)
            self.docs[file.src_uri] = doc
            self.dest_paths[file.src_uri] = file.dest_uri
            if doc.key:
                self.sitemap.doc_urls[doc.key] = file.url
        for asset in published_assets(self.analysis.library, self.settings, self.library.documents):
            file = File(asset, root, config.site_dir, config.use_directory_urls)
            files.append(file)
            self.dest_paths[asset] = file.dest_uri
        self._plan_history(config)
        self._plan_withdrawn()
        records = Records(self.analysis, self.sitemap, self.entries, list(self.withdrawn.items()))
        self._plan_records(records)
        for name, content in (
            ("register.csv", records.register_csv()),
            ("register.json", records.register_json()),
            ("changes.xml", records.atom(config.site_url or "", config.site_name)),
        ):
            files.append(File.generated(config, name, content=content))
        for page in self.generated.values():
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.src_uri, content="", inclusion=inclusion)
            files.append(file)
            self.sitemap.page_urls[page.src_uri] = file.url

    def _plan_history(self, config: MkDocsConfig) -> None:
        """Where each document's history page and other versions go; they are written later,
        from the built document page (see history_pages)."""
        if not self.analysis.history.available:
            return
        for doc in self.docs.values():
            standing = self.standing(doc)
            if standing is None or not doc.key or doc.is_external:
                continue  # an external document has no versions of its own: its edition is in its panel
            entries = version_entries(
                standing,
                publish_past=self.settings.past_versions,
                include_restricted=self.settings.include_restricted,
                approvals=self.analysis.approvals,
            )
            if not entries:
                continue
            self.entries[doc.key] = entries
            shown = next((e for e in entries if e.shown), None)
            pages = [history_src_uri(doc)] + [e.src_uri for e in entries if e.src_uri]
            if shown is not None and previous_comparable(entries, shown) is not None:
                pages.append(changes_src_uri(doc))
            for src_uri in pages:
                virtual = File(src_uri, None, config.site_dir, config.use_directory_urls)
                self.sitemap.page_urls[src_uri] = virtual.url
                self.dest_paths[src_uri] = virtual.dest_uri
            for entry in entries:
                entry.url_path = self.dest_paths.get(entry.src_uri or "")
            if shown is not None:
                shown.changes_url_path = self.dest_paths.get(changes_src_uri(doc))

    def _plan_withdrawn(self) -> None:
        """Documents whose files left the library stay on the archive, each with its last version."""
        taken: set[str] = set()
        for gone in self.analysis.standing.withdrawn:
            if placement(gone.doc, self.settings) is Placement.HIDDEN:
                continue
            stem = (gone.doc.id or "document").lower()
            name, number = stem, 2
            while name in taken:
                name, number = f"{stem}-{number}", number + 1
            taken.add(name)
            src_uri = f"{WITHDRAWN_FOLDER}/{name}.md"
            self.withdrawn[src_uri] = gone
            self.generated[src_uri] = GeneratedPage(src_uri, gone.doc.display_title, self._withdrawn_markdown(gone))

    def _withdrawn_markdown(self, gone: Withdrawn) -> Callable[[str], str]:
        def make(page_url: str) -> str:
            header = render("withdrawn_header.html", gone=gone, doc=gone.doc, record=gone.record)
            return f"{header}\n\n{without_title(gone.doc.body)}"

        return make

    def history_jobs(self, site_dir: Path) -> list[HistoryJob]:
        jobs = []
        for uri, doc in self.docs.items():
            entries = self.entries.get(doc.key or "")
            if not entries:
                continue
            doc_path = self.dest_paths[uri]
            standing = self.standing(doc)
            assert standing is not None
            jobs.append(
                HistoryJob(doc, standing, site_dir / doc_path, doc_path, self.dest_paths[history_src_uri(doc)], entries)
            )
        return jobs

    def write_history_pages(self, config: MkDocsConfig, *, previewing: bool = False) -> int:
        """Every document's history page and other versions, in the site being built. A
        preview rebuilds again and again: it reuses what its last build converted."""
        writer = HistoryPageWriter(
            self.analysis.history,
            Path(config.site_dir),
            config.site_name,
            (list(config.markdown_extensions), dict(config.mdx_configs)),
            self.dest_paths.get,
            allow_html=self.settings.allow_html,
            today=self.analysis.today,
            kept=KEPT_BETWEEN_BUILDS if previewing else None,
        )
        return writer.write_all(self.history_jobs(Path(config.site_dir)))

    def _plan_records(self, records: Records) -> None:
        def page(name: str, title: str, make: Callable[[str], str]) -> None:
            self.generated[f"{name}.md"] = GeneratedPage(f"{name}.md", title, make, in_nav=True)

        page("register", "Register", records.register)
        page("hierarchy", "Hierarchy", records.hierarchy)
        page("coverage", "Coverage", records.coverage)
        page("assessment", "Assessment", records.assessment)
        page("reviews", "Reviews", records.reviews)
        page("records", "Records retention", records.retention)
        page("external-documents", "External documents", records.external)
        page("roles", "Roles", records.roles)
        page("changes", "Changes", lambda url: records.changes(url, relative_url("changes.xml", url)))
        page("archive", "Archive", records.archive)

    # -- page content ------------------------------------------------------------------------

    def source(self, src_uri: str) -> str | None:
        page = self.generated.get(src_uri)
        if page is not None:
            return page.markdown(self.sitemap.page_urls[src_uri])
        doc = self.docs.get(src_uri)
        if doc is None:
            return None
        # Our own H1 carries the id, so search finds a document by id; the author's `# Title` goes.
        return f'<h1 class="sms-title">{html.escape(doc.display_title)}</h1>\n\n{without_title(doc.body)}'

    def title(self, src_uri: str) -> str | None:
        """The escaped page title: MkDocs themes print titles without escaping."""
        if src_uri in self.generated:
            return html.escape(self.generated[src_uri].title)
        doc = self.docs.get(src_uri)
        return html.escape(doc.display_title) if doc else None

    def searchable(self, src_uri: str) -> bool:
        if src_uri in self.generated:
            return self.generated[src_uri].searchable
        doc = self.docs.get(src_uri)
        return doc is None or placement(doc, self.settings) is Placement.CURRENT

    def is_record(self, src_uri: str) -> bool:
        page = self.generated.get(src_uri)
        return page is not None and page.in_nav

    def safe(self, src_uri: str, content: str) -> str:
        """A page's converted Markdown, made safe before anything (search included) reads it."""
        if self.settings.allow_html or (src_uri not in self.withdrawn and src_uri not in self.docs):
            return content
        return neutralise(content)  # SMS405 is the rule; this keeps script out whatever it missed

    def decorate(self, src_uri: str, content: str, page_url: str) -> str:
        """A document page's content inside its metadata panel, relations and history sheet."""
        doc = self.docs.get(src_uri)
        if doc is None:
            return content
        view = DocumentView(doc, self.library, self.sitemap, page_url, self.analysis.today)
        view.extra_banners = self._standing_banners(doc, page_url)
        view.history_url = self._url(history_src_uri(doc), page_url)
        sheet = "" if doc.is_external else self._history_sheet(doc, page_url)
        page = view.header_html() + content + view.footer_html() + sheet
        return CONTENT_START + page + CONTENT_END

    def _standing_banners(self, doc: Document, page_url: str) -> list[Banner]:
        """What staff must know before following this version: it awaits review, it is not yet
        in force, or a new version is coming."""
        banners = []
        standing = self.standing(doc)
        suspicion = self.analysis.suspicions.get(doc.key or "")
        if suspicion is not None and standing is not None and standing.shown is standing.doc:
            on = f" on {suspicion.since.isoformat()}" if suspicion.since else ""
            above = suspicion.parent.doc_type.value
            banners.append(
                Banner(
                    "suspect",
                    "Under review",
                    f"Its {above} {suspicion.parent.id} changed{on}, and this document is being reviewed against it. "
                    "This version still applies until a new one is published.",
                )
            )
        if standing is None:
            return banners
        if standing.state == NOT_YET and standing.takes_effect:
            banners.append(
                Banner("pending", "Not yet in force", f"This version takes effect on {standing.takes_effect.isoformat()}.")
            )
        entries = self.entries.get(doc.key or "", [])
        for entry in entries:
            if entry.state != UPCOMING or entry.shown or entry.in_force_from is None:
                continue
            url = self._url(entry.src_uri, page_url)
            banners.append(
                Banner(
                    "pending",
                    "New version coming",
                    f"Version {entry.number} was approved and takes effect on {entry.in_force_from.isoformat()}; "
                    "until then this version applies.",
                    Link(f"Read version {entry.number}", url),
                )
            )
        return banners

    def _url(self, src_uri: str | None, page_url: str) -> str | None:
        if src_uri is None or src_uri not in self.sitemap.page_urls:
            return None
        return relative_url(self.sitemap.page_urls[src_uri], page_url)

    def _entries_with_urls(self, doc: Document, page_url: str) -> list[VersionEntry]:
        entries = self.entries.get(doc.key or "", [])
        for entry in entries:
            entry.url = self._url(entry.src_uri, page_url)
            if entry.shown:
                entry.changes_url = self._url(changes_src_uri(doc), page_url)
        return entries

    def _history_sheet(self, doc: Document, page_url: str) -> str:
        history = self.analysis.history
        notice = " ".join(history.notices) if not history.available or history.notices else ""
        entries = self._entries_with_urls(doc, page_url)
        if any(e.shown and not e.committed for e in entries):
            notice = (notice + " The version shown includes changes not yet committed.").strip()
        return render(
            "history_sheet.html",
            doc=doc,
            entries=entries,
            notice=notice,
            history_url=self._url(history_src_uri(doc), page_url) or "",
        )

    # -- navigation ----------------------------------------------------------------------------

    def navigation(self, nav: Navigation, files: Files, config: MkDocsConfig) -> Navigation:
        pages: dict[str, Page] = {}
        for uri, doc in self.docs.items():
            file = files.get_file_from_path(uri)
            if file is None or not doc.key or placement(doc, self.settings) is not Placement.CURRENT:
                continue
            page = file.page or Page(None, file, config)
            page.title = self.title(uri)
            pages[doc.key] = page
        records = []
        for uri, generated in self.generated.items():
            file = files.get_file_from_path(uri)
            if generated.in_nav and file is not None:
                page = file.page or Page(None, file, config)
                page.title = self.title(uri)
                records.append(page)
        return library_navigation(nav, self.library, pages, records)
