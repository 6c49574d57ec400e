"""History pages and superseded versions, written without MkDocs' page pipeline.

A library with a long history has many more past versions than current documents. Each
document page MkDocs built serves as the shell of that document's history page and past
versions: they sit beside it at the same depth, so every relative link of the shell
(theme assets, navigation, search) stays right, and they look like the rest of the site.
Only the article changes; the Markdown of old versions is converted with the site's own
Markdown extensions.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import markdown

from ..characters import CONTROL
from ..frontmatter import split, without_title
from ..history import LibraryHistory, Revision
from ..markdown_text import outline
from ..model import Document
from ..standing import Standing
from .diff import VersionDiff, version_diff
from .page_toc import own_toc
from .render import render
from .safety import may_carry_markup, neutralise
from .versions import VersionEntry, previous_comparable

CONTENT_START = "<!--sms-content-->"
CONTENT_END = "<!--/sms-content-->"
_TITLE = re.compile(r"<title>.*?</title>", re.S)
_CANONICAL = re.compile(r'<link rel="canonical"[^>]*>')
_PRINT_DOC = re.compile(r'<span class="sms-print-doc">.*?</span>', re.S)
_LINK = re.compile(r"(!?\[[^\]]*\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
CHUNK = 50  # documents whose old texts are read in one batch (and held in memory)
T = TypeVar("T")
_CROSS_REFERENCES = re.compile(r"^ {0,3}\[[^\]]+\]:|\[\^|^\*\[", re.M)


def _sections(body: str) -> list[str]:
    """The body cut before each heading outside code."""
    sections: list[list[str]] = [[]]
    code = outline(body).code
    for index, line in enumerate(body.split("\n")):
        if index not in code and line.startswith("#") and sections[-1]:
            sections.append([])
        sections[-1].append(line)
    return ["\n".join(lines) for lines in sections]


@dataclass(frozen=True)
class Shell:
    """A built document page cut into the pieces around what changes from page to page."""

    pieces: tuple[str, ...]  # before title, between title and print label, before content
    after: str

    @classmethod
    def from_page(cls, page_html: str) -> Shell | None:
        start, end = page_html.find(CONTENT_START), page_html.rfind(CONTENT_END)
        title = _TITLE.search(page_html, 0, start)
        label = _PRINT_DOC.search(page_html, 0, start)
        if start < 0 or end < 0 or title is None or label is None or label.start() < title.end():
            return None
        head = page_html[title.end() : label.start()]
        head = _CANONICAL.sub("", head, 1)
        pieces = (page_html[: title.start()], head, page_html[label.end() : start])
        return cls(pieces, page_html[end + len(CONTENT_END) :])

    def page(self, title: str, site_name: str, content: str, print_label: str) -> str:
        head, content = own_toc(self.pieces[1], content)
        return "".join(
            (
                self.pieces[0],
                f"<title>{html.escape(title)} - {html.escape(site_name)}</title>",
                head,
                f'<span class="sms-print-doc">{html.escape(print_label)}</span>',
                self.pieces[2],
                content,
                self.after,
            )
        )


class KeptFromLastBuild:
    """Conversions and comparisons of versions made by the last build, for the next one.
    Under `mkdocs serve` a rebuild after one edit would convert and compare every version
    shown again, though their texts did not change (10 and 3 of the 19 s a 2,000-document
    site spends on its history pages). Only what the last build used is kept, so a long
    editing session does not make it grow, and at most `limit` results."""

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self.last: dict[tuple[str, ...], object] = {}
        self.now: dict[tuple[str, ...], object] = {}

    def get(self, key: tuple[str, ...], make: Callable[[], T]) -> T:
        found = self.now.get(key)
        if found is None:
            found = self.last.get(key)
            if found is None:
                found = make()
            if len(self.now) < self.limit:
                self.now[key] = found
        return found  # type: ignore[return-value]

    def build_done(self) -> None:
        self.last, self.now = self.now, {}


# Lives as long as the `mkdocs serve` process; each rebuild's writer uses it.
KEPT_BETWEEN_BUILDS = KeptFromLastBuild()


class HistoryPageWriter:
    """Writes the history page and every published past version of each document."""

    def __init__(
        self,
        history: LibraryHistory,
        site_dir: Path,
        site_name: str,
        markdown_config: tuple[list, dict],
        url_of_path: Callable[[str], str | None],
        *,
        allow_html: bool = False,
        today: date,
        kept: KeptFromLastBuild | None = None,
    ) -> None:
        self.history = history
        self.today = today
        self.allow_html = allow_html
        self.site_dir = site_dir
        self.site_name = site_name
        extensions, configs = markdown_config
        self.markdown = markdown.Markdown(extensions=extensions, extension_configs=configs)
        self.url_of_path = url_of_path
        self.sections: dict[str, str] = {}
        self.kept = kept
        # What a conversion depends on besides the text. A configuration holding functions
        # prints their addresses, which differ from one build to the next: nothing is reused.
        self.conversion = repr((extensions, configs, allow_html))

    def write_all(self, jobs: Iterable[HistoryJob]) -> int:
        written = 0
        batch: list[HistoryJob] = []
        for job in jobs:
            batch.append(job)
            if len(batch) >= CHUNK:
                written += self._write_batch(batch)
                batch = []
        written += self._write_batch(batch)
        if self.kept is not None:
            self.kept.build_done()
        return written

    def _write_batch(self, batch: list[HistoryJob]) -> int:
        self.history.prefetch(revision for job in batch for revision in job.texts_shown())
        written = 0
        for job in batch:
            written += self._write_job(job)
            self.sections.clear()  # sections repeat within one document's versions
        self.history.forget_texts()
        return written

    def _write_job(self, job: HistoryJob) -> int:
        page_html = job.built_page.read_text(encoding="utf-8")
        shell = Shell.from_page(page_html)
        if shell is None:
            return 0
        written = 0
        history_content = render(
            "history_page.html",
            doc=job.doc,
            entries=job.entries_with_urls(job.history_url),
            doc_url=job.relative(job.doc_url, job.history_url),
            notices=self.history.notices,
            today=self.today,
        )
        label = f"{job.doc.id} version history"
        self._write(job.history_url, shell.page(f"{job.doc.display_title} — version history", self.site_name, history_content, label))
        written += 1
        shown = job.shown_entry
        previous = previous_comparable(job.entries, shown) if shown is not None else None
        if shown is not None and previous is not None and shown.changes_url_path:
            content = self._changes_content(job, shown, previous)
            label = f"{job.doc.id} changes in version {shown.number}"
            self._write(shown.changes_url_path, shell.page(label, self.site_name, content, label))
            written += 1
        for entry in job.entries:
            if entry.src_uri is None or entry.url_path is None:
                continue
            content = self._version_content(job, entry, previous_comparable(job.entries, entry))
            title = f"{job.doc.id} version {entry.number} ({entry.state})"
            label = f"{job.doc.id} version {entry.number} ({entry.state}, not the version in force)"
            self._write(entry.url_path, shell.page(title, self.site_name, content, label))
            written += 1
        return written

    def _text(self, job: HistoryJob, entry: VersionEntry) -> str:
        """A version's text: from git, or the working tree for a version not yet committed."""
        if entry.head.commit is None:
            return job.standing.doc.text
        # An old version was never checked for control characters (SMS101 reads today's files):
        # they are shown as U+FFFD, never published raw.
        return CONTROL.sub("\ufffd", self.history.text_of(entry.head))

    def _version_content(self, job: HistoryJob, entry: VersionEntry, previous: VersionEntry | None) -> str:
        page_url = entry.url_path or ""
        text = self._text(job, entry)
        body_html = self._body_html(text, entry.head.path or job.doc.path, page_url)
        diff = None
        if previous is not None:
            old_text = self._text(job, previous)
            old_html = self._body_html(old_text, previous.head.path or job.doc.path, page_url)
            diff = self._diff(old_text, text, old_html, body_html)
        header = render(
            "version_header.html",
            doc=job.doc,
            entry=entry,
            current_url=job.relative(job.doc_url, page_url),
            history_url=job.relative(job.history_url, page_url),
        )
        previous_url = job.relative(previous.url_path, page_url) if previous and previous.url_path else None
        footer = render("version_footer.html", entry=entry, previous=previous, previous_url=previous_url, diff=diff)
        return f'<div class="sms-past-version">{header}\n{body_html}\n{footer}</div>'

    def _changes_content(self, job: HistoryJob, current: VersionEntry, previous: VersionEntry) -> str:
        page_url = current.changes_url_path or ""
        new_text = job.standing.shown.text
        old_text = self._text(job, previous)
        diff = self._diff(
            old_text,
            new_text,
            self._body_html(old_text, previous.head.path or job.doc.path, page_url),
            self._body_html(new_text, current.head.path or job.doc.path, page_url),
        )
        previous_url = job.relative(previous.url_path, page_url) if previous.url_path else None
        return render(
            "changes_page.html",
            doc=job.doc,
            entry=current,
            previous=previous,
            previous_url=previous_url,
            current_url=job.relative(job.doc_url, page_url),
            history_url=job.relative(job.history_url, page_url),
            footer=render("version_footer.html", entry=current, previous=previous, previous_url=previous_url, diff=diff),
        )

    def _reused(self, key: tuple[str, ...], make: Callable[[], T]) -> T:
        """What the last build made for `key`, when this one is a preview; made afresh otherwise."""
        return make() if self.kept is None else self.kept.get(key, make)

    def _diff(self, old_text: str, new_text: str, old_html: str, new_html: str) -> VersionDiff:
        key = ("diff", old_text, new_text, old_html, new_html)
        return self._reused(key, lambda: version_diff(old_text, new_text, old_html, new_html))

    def _body_html(self, text: str, doc_path: str, page_url: str) -> str:
        """A version's body as the page at `page_url` shows it: links mended, made safe."""
        body = self._relink(without_title(split(text).body), doc_path, page_url)
        return self._reused(("body", self.conversion, body), lambda: self._safe_html(body))

    def _safe_html(self, body: str) -> str:
        body_html = self._convert(body)
        if not self.allow_html and may_carry_markup(body):
            body_html = neutralise(body_html)  # an old version was never checked by today's SMS405
        return body_html

    def _convert(self, body: str) -> str:
        """Markdown to HTML a section at a time, remembering sections already converted:
        consecutive versions share most of their sections. Bodies whose parts refer to
        each other (reference links, footnotes, abbreviations) are converted whole."""
        if _CROSS_REFERENCES.search(body):
            self.markdown.reset()
            return self.markdown.convert(body)
        parts = []
        for section in _sections(body):
            cached = self.sections.get(section)
            if cached is None:
                self.markdown.reset()
                cached = self.sections[section] = self.markdown.convert(section)
            parts.append(cached)
        return "\n".join(parts)

    def _relink(self, body: str, doc_path: str, page_url: str) -> str:
        """Links of an old version point at today's published pages; links to what is gone become text."""
        folder = posixpath.dirname(doc_path)

        def fix(match: re.Match[str]) -> str:
            target = match.group(2)
            if _SCHEME.match(target) or target.startswith("#"):
                return match.group(0)
            path, _, anchor = target.partition("#")
            resolved = posixpath.normpath(posixpath.join(folder, path)) if path else doc_path
            url = self.url_of_path(resolved)
            if url is None:
                text = match.group(1)
                return text[2:-2] if text.startswith("!") else text[1:-2]
            relative = relative_url(url, page_url) + (f"#{anchor}" if anchor else "")
            return f"{match.group(1)}{relative}{match.group(3)}"

        return _LINK.sub(fix, body)

    def _write(self, url_path: str, content: str) -> None:
        target = self.site_dir / url_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


@dataclass
class HistoryJob:
    """One document's history pages: where its built page is and where its versions go."""

    doc: Document  # as the page shows it
    standing: Standing
    built_page: Path
    doc_url: str  # site-relative file path of the built document page, e.g. a/b/index.html
    history_url: str
    entries: list[VersionEntry]

    @staticmethod
    def relative(target: str, page: str) -> str:
        return relative_url(target, page)

    @property
    def shown_entry(self) -> VersionEntry | None:
        return next((e for e in self.entries if e.shown), None)

    def texts_shown(self) -> Iterator[Revision]:
        """The versions whose full text the pages of this job show or compare: each
        published version and the one it is compared with, and those of the changes page."""
        for entry in self.entries:
            if entry.src_uri is not None and entry.url_path is not None:
                yield entry.head
                previous = previous_comparable(self.entries, entry)
                if previous is not None:
                    yield previous.head
        shown = self.shown_entry
        if shown is not None and shown.changes_url_path:
            previous = previous_comparable(self.entries, shown)
            if previous is not None:
                yield previous.head

    def entries_with_urls(self, page: str) -> list[VersionEntry]:
        for entry in self.entries:
            entry.url = relative_url(entry.url_path, page) if entry.url_path else None
            entry.changes_url = relative_url(entry.changes_url_path, page) if entry.changes_url_path else None
        return self.entries


def relative_url(target: str, page: str) -> str:
    """A link from the page file `page` to the file `target` (both site-relative paths), in
    the form MkDocs itself writes: directories end with `/` when the file is an index."""
    base = posixpath.dirname(page)
    relative = posixpath.relpath(target, base or ".")
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")] or "./"
    return relative
