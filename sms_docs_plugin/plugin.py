"""The MkDocs door: events only; the work is done by analysis, publication and site."""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from .analysis import Analysis, analyse
from .codes import Severity
from .config import SmsDocsConfig
from .gitrepo import source_state
from .model import Document
from .publication import Placement, placement
from .report import format_text
from .site.document import DocumentView
from .site.links import SiteMap
from .site.navigation import library_navigation
from .site.staging import Staging

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
OVERRIDES = Path(__file__).resolve().parent / "templates" / "overrides"


class SmsDocsPlugin(BasePlugin[SmsDocsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.analysis: Analysis | None = None
        self.staging: Staging | None = None
        self.warnings = CountHandler()
        self.docs_by_uri: dict[str, Document] = {}
        self.sitemap = SiteMap()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command

    # Validation comes first, before MkDocs cleans or writes anything in site_dir.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        settings = self.config.to_settings(root)
        # Counted from here on: our own warnings too must stop a strict build before publishing.
        self.warnings = CountHandler()
        self.warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self.analysis = analyse(settings)
        self._report(self.analysis)
        self._install_theme_parts(config)
        if self.command != "serve":
            # `serve` builds into its own temporary folder; a real build goes to a staging
            # folder that replaces site_dir only once everything has been written.
            self.staging = Staging.begin(Path(config.site_dir))
            config.site_dir = str(self.staging.folder)
        return config

    def _report(self, analysis: Analysis) -> None:
        errors = [f for f in analysis.findings if f.severity is Severity.ERROR]
        for finding in analysis.findings:
            if finding.severity is Severity.WARNING:
                log.warning(format_text(finding))
        if errors:
            listing = "\n".join(format_text(f) for f in errors)
            raise PluginError(
                f"sms-docs: {len(errors)} error(s) in the document library; nothing was published.\n{listing}"
            )

    def _install_theme_parts(self, config: MkDocsConfig) -> None:
        dirs = config.theme.dirs
        # Our overrides sit just below the user's custom_dir, above the theme itself.
        position = 1 if config.theme.custom_dir else 0
        if str(OVERRIDES) not in dirs:
            dirs.insert(position, str(OVERRIDES))
        for name in ("sms-docs.css",):
            if f"assets/sms-docs/{name}" not in config.extra_css:
                config.extra_css.append(f"assets/sms-docs/{name}")
        if "assets/sms-docs/sms-docs.js" not in config.extra_javascript:
            config.extra_javascript.append("assets/sms-docs/sms-docs.js")

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.analysis is not None
        library = self.analysis.library
        settings = library.settings
        self.docs_by_uri = {}
        self.sitemap = SiteMap()
        for doc in library.documents:
            if placement(doc, settings) is Placement.HIDDEN:
                continue
            file = File(doc.path, str(settings.root), config.site_dir, config.use_directory_urls)
            files.append(file)
            self.docs_by_uri[file.src_uri] = doc
            if doc.key:
                self.sitemap.doc_urls[doc.key] = file.url
        for asset in library.assets:
            files.append(File(asset, str(settings.root), config.site_dir, config.use_directory_urls))
        for asset in sorted(ASSETS.iterdir()):
            files.append(File.generated(config, f"assets/sms-docs/{asset.name}", abs_src_path=str(asset)))
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.analysis is not None
        settings = self.analysis.library.settings
        pages: dict[str, Page] = {}
        for uri, doc in self.docs_by_uri.items():
            file = files.get_file_from_path(uri)
            if file is None:
                continue
            page = file.page or Page(None, file, config)
            page.title = html.escape(doc.display_title)
            if placement(doc, settings) is Placement.CURRENT and doc.key:
                pages[doc.key] = page
        return library_navigation(nav, self.analysis.library, pages, records=[])

    def on_env(self, env, *, config: MkDocsConfig, files: Files):  # noqa: ANN001
        assert self.analysis is not None
        state = source_state(self.analysis.library.settings.root)
        env.globals["sms_build"] = {"commit": state.short, "note": state.note, "date": self.analysis.today.isoformat()}
        return env

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        doc = self.docs_by_uri.get(page.file.src_uri)
        # The body alone: the front matter was parsed and validated by us already.
        return _heading(doc) + _without_title(doc.body) if doc else None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        doc = self.docs_by_uri.get(page.file.src_uri)
        if doc is None:
            return markdown
        page.title = html.escape(doc.display_title)
        page.meta["title"] = page.title
        if placement(doc, self.analysis.library.settings) is Placement.ARCHIVE:  # type: ignore[union-attr]
            page.meta["search"] = {"exclude": True}
        return markdown

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        doc = self.docs_by_uri.get(page.file.src_uri)
        if doc is None or self.analysis is None:
            return html_text
        view = DocumentView(doc, self.analysis.library, self.sitemap, page.url, self.analysis.today)
        return view.header_html() + html_text + view.footer_html()

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav: Navigation):  # noqa: ANN001
        doc = self.docs_by_uri.get(page.file.src_uri)
        context["sms_doc"] = doc
        return context

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:  # noqa: ANN001
        if self.analysis is not None:
            settings = self.analysis.library.settings
            for doc_type in settings.library:
                folder = settings.folder(doc_type)
                if folder.is_dir():
                    server.watch(str(folder))
        return server

    # Last, after the search plugin has written its index into the staging folder.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.staging is None:
            return
        if config.strict and self.warnings.get_counts():
            return  # MkDocs aborts right after this event; on_build_error discards the staging folder
        config.site_dir = str(self.staging.publish())
        self.staging = None

    def on_build_error(self, *, error: Exception) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.staging is not None:
            self.staging.discard()
            self.staging = None


def _heading(doc: Document) -> str:
    # Our own H1 carries the id, so search finds a document by id first; escaped, not Markdown.
    return f'<h1 class="sms-title">{html.escape(doc.display_title)}</h1>\n\n'


def _without_title(body: str) -> str:
    """The body without its leading `# Title`, which our heading replaces."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith("# "):
            return "\n".join(lines[index + 1 :])
        break
    return body
