"""The MkDocs door: events only. The work is done by analysis (rules) and site.plan (pages)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from mkdocs.config.base import Config, ConfigErrors, ConfigWarnings
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
from .history import HistoryError
from .options import OptionsError, describe, read_options
from .report import format_text
from .site.plan import GeneratedPage, SitePlan
from .site.preview import FINDINGS_PAGE, STYLESHEET, STYLESHEET_SOURCE, Preview
from .site.staging import PublicationError, Staging

log = get_plugin_logger(__name__)
# The logger of the tool that runs us: `mkdocs`, or `properdocs`, whose own warnings (a
# broken link, say) never pass through `mkdocs`, so a strict build would not see them.
TOOL_LOG = logging.getLogger(BasePlugin.__module__.split(".", 1)[0])

ASSETS = Path(__file__).resolve().parent / "assets"
OVERRIDES = Path(__file__).resolve().parent / "templates" / "overrides"


class SmsDocsConfig(Config):
    """The `sms-docs` block as MkDocs sees it: taken as written. MkDocs' own option classes
    would check types in their own words and only warn about an unknown option; on_config
    hands the block to options.py instead, so `mkdocs build` refuses exactly what
    `sms-docs check` refuses, in the same words."""

    def validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        return [], []


class SmsDocsPlugin(BasePlugin[SmsDocsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.plan: SitePlan | None = None
        self.staging: Staging | None = None  # a build that publishes (not `serve`)
        self.preview: Preview | None = None  # `mkdocs serve`: shows the findings, publishes nothing
        self.warnings = CountHandler()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command

    # Validation comes first, before MkDocs cleans or writes anything in site_dir.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config_file = config.config_file_path or "mkdocs.yml"
        try:
            settings = read_options(dict(self.config), Path(config_file).resolve().parent, Path(config.docs_dir), Path(config.site_dir))
        except OptionsError as exc:
            message = f"sms-docs: {describe(exc.problems, config_file)}"
            if self.command == "serve":
                raise PluginError(message) from exc  # the server stays up for the fix
            # A setup error is exit 2 from both doors (SPEC §7); MkDocs ends every plugin error with 1.
            log.error(message)
            raise SystemExit(2) from exc
        # Counted from here on: our own warnings too must stop a strict build before publishing.
        self.warnings = CountHandler()
        self.warnings.setLevel(logging.WARNING)
        TOOL_LOG.addHandler(self.warnings)
        previewing = self.command == "serve"
        self.staging = None
        if not previewing:
            # `serve` builds into a temporary folder of its own. A publishing build waits for any
            # other build of the same site, then writes to a staging folder that replaces
            # site_dir only once everything has been written (on_post_build).
            try:
                self.staging = Staging.begin(Path(config.site_dir), log.info)
            except PublicationError as exc:
                raise PluginError(str(exc)) from exc
            config.site_dir = str(self.staging.folder)
        try:
            analysis = analyse(settings)
        except HistoryError as exc:
            raise PluginError(f"sms-docs: {exc}") from exc
        self._report(analysis, previewing=previewing)
        self.plan = SitePlan(analysis)
        self.preview = Preview(analysis.findings, settings.root) if previewing else None
        _install_theme_parts(config, previewing=previewing)
        return config

    def _report(self, analysis: Analysis, *, previewing: bool) -> None:
        """Logs the findings. Errors refuse a publishing build; a preview shows them instead."""
        for notice in analysis.notices:
            # What history is missing (a shallow clone, no .git, a detached HEAD): a notice
            # (SPEC §4), said on every page it concerns, never a reason to stop publishing.
            log.info(notice)
        for finding in analysis.findings:
            if finding.severity is Severity.WARNING:
                log.warning(format_text(finding))
            elif finding.severity is Severity.NOTICE:
                # The library's state as time passes: shown on the site, never a reason to stop publishing.
                log.info(format_text(finding))
        errors = [f for f in analysis.findings if f.severity is Severity.ERROR]
        if errors:
            listing = "\n".join(format_text(f) for f in errors)
            if previewing:
                log.error(
                    f"{len(errors)} error(s) in the document library, shown on their pages in the preview; "
                    f"`mkdocs build` publishes nothing until they are fixed.\n{listing}"
                )
                return
            raise PluginError(
                f"sms-docs: {len(errors)} error(s) in the document library; nothing was published.\n{listing}"
            )

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.plan is not None
        _refuse_links_leaving(files, config, self.plan.settings.root)
        if self.preview is not None:
            self.plan.generated[FINDINGS_PAGE] = GeneratedPage(FINDINGS_PAGE, "Findings", self.preview.page)
        self.plan.add_files(files, config)
        for asset in sorted(ASSETS.iterdir()):
            files.append(File.generated(config, f"assets/sms-docs/{asset.name}", abs_src_path=str(asset)))
        if self.preview is not None:
            self.preview.add_pages(files)
            files.append(File.generated(config, STYLESHEET, abs_src_path=str(STYLESHEET_SOURCE)))
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.plan is not None
        return self.plan.navigation(nav, files, config)

    def on_env(self, env, *, config: MkDocsConfig, files: Files):  # noqa: ANN001
        assert self.plan is not None
        state = self.plan.analysis.history.state
        env.globals["sms_build"] = {
            "commit": state.short,
            "note": state.note,
            "date": self.plan.analysis.today.isoformat(),
        }
        findings_url = self.plan.sitemap.page_urls.get(FINDINGS_PAGE)
        env.globals["sms_preview"] = self.preview.bar(findings_url) if self.preview and findings_url else None
        return env

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        assert self.plan is not None
        return self.plan.source(page.file.src_uri)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.plan is not None
        title = self.plan.title(page.file.src_uri)
        if title is not None:
            page.title = title
            page.meta["title"] = title
        if not self.plan.searchable(page.file.src_uri):
            page.meta["search"] = {"exclude": True}
        if self.plan.is_record(page.file.src_uri):
            page.meta["hide"] = ["toc"]  # wide tables need the room
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.plan is not None
        return self.plan.safe(page.file.src_uri, html)

    # After the search plugins (priority 0) have indexed the page: the metadata panel, the
    # relations and the history sheet are not what staff search for, and parsing them was
    # about a quarter of a build.
    @event_priority(-100)
    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav: Navigation):  # noqa: ANN001
        assert self.plan is not None
        html = self.plan.decorate(page.file.src_uri, page.content or "", page.url)
        if self.preview is not None:
            html = self.preview.with_banners(page.file.src_uri, html)
        page.content = html
        context["sms_doc"] = self.plan.docs.get(page.file.src_uri)
        return context

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:  # noqa: ANN001
        if self.plan is not None:
            settings = self.plan.settings
            for doc_type in settings.library:
                if settings.folder(doc_type).is_dir():
                    server.watch(str(settings.folder(doc_type)))
        return server

    # Last, after the search plugin has written its index into the staging folder.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.plan is not None
        self.plan.write_history_pages(config, previewing=self.preview is not None)
        TOOL_LOG.removeHandler(self.warnings)
        if self.staging is None:
            return  # the preview publishes nothing
        if config.strict and self.warnings.get_counts():
            return  # MkDocs aborts right after this event; on_build_error discards the staging folder
        try:
            config.site_dir = str(self.staging.publish(log.info))
        except PublicationError as exc:
            raise PluginError(str(exc)) from exc  # on_build_error discards the staging folder
        self.staging = None

    # Last, as it may replace the error: MkDocs shows an OSError of its own writing (a full
    # disk) as a traceback, a PluginError as one line.
    @event_priority(-100)
    def on_build_error(self, *, error: Exception) -> None:
        TOOL_LOG.removeHandler(self.warnings)
        if self.staging is None:
            return
        staging, self.staging = self.staging, None
        staging.discard()
        message = staging.write_failure(error)
        if message is not None:
            raise PluginError(message) from error


def _refuse_links_leaving(files: Files, config: MkDocsConfig, root: Path) -> None:
    """MkDocs follows symbolic links in docs_dir; one leading out of the repository would
    publish files of the build machine. Such files are left out, with a warning, as the
    library folders refuse them (SMS101)."""
    docs_dir = Path(config.docs_dir).resolve()
    inside = (root.resolve(), docs_dir)
    for file in list(files):
        if not file.abs_src_path or not file.src_dir or Path(file.src_dir).resolve() != docs_dir:
            continue  # theme files and generated files
        target = Path(file.abs_src_path).resolve()
        if not any(target.is_relative_to(folder) for folder in inside):
            files.remove(file)
            log.warning(
                f"{file.src_uri}: symbolic link to a file outside the repository; refused, not published: "
                "put the file itself in the repository"
            )


def _install_theme_parts(config: MkDocsConfig, *, previewing: bool) -> None:
    # MaterialX, the fork that continues Material, takes the same setting.
    if config.theme.name in ("material", "materialx") and config.theme.get("font") is not False:
        # Material fetches Google Fonts unless told not to; the library makes no outside request.
        config.theme["font"] = False
        log.info("theme font set to false: the site loads no web fonts")
    dirs = config.theme.dirs
    # Our overrides sit just below the user's custom_dir, above the theme itself.
    if str(OVERRIDES) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
    if "assets/sms-docs/sms-docs.css" not in config.extra_css:
        config.extra_css.append("assets/sms-docs/sms-docs.css")
    if "assets/sms-docs/sms-docs.js" not in config.extra_javascript:
        config.extra_javascript.append("assets/sms-docs/sms-docs.js")
    if previewing and STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
